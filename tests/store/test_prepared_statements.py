"""Statements are bound by the server, so a connection prepares what it runs repeatedly; a
deployment behind a pooler that cannot keep prepared statements turns it off."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from shop.store.models import Product
from tests.factories import ProductFactory
from tests.store.test_deploy_settings import settings_from_env

VARIABLE = "DATABASE_PREPARED_STATEMENTS"


def database_options(monkeypatch, **env: str) -> dict:
    monkeypatch.delenv(VARIABLE, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return settings_from_env(monkeypatch, **env)["DATABASES"]["default"].get("OPTIONS", {})


@pytest.mark.parametrize("url", [None, "postgres://shop:secret@db:5432/shop"])
def test_on_by_default_and_switched_off_by_its_variable(monkeypatch, url):
    env = {"DATABASE_URL": url} if url else {}
    options = database_options(monkeypatch, **env)
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    options = database_options(monkeypatch, **env, **{VARIABLE: "0"})
    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_a_malformed_value_is_named(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match=f"{VARIABLE} must be a boolean"):
        database_options(monkeypatch, **{VARIABLE: "sometimes"})


@pytest.mark.django_db
def test_a_statement_run_repeatedly_is_prepared_and_answers_the_same():
    product = ProductFactory()
    answers = {tuple(Product.objects.filter(pk=product.pk).values_list("pk")) for _ in range(8)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert answers == {((product.pk,),)}
    assert any('FROM "store_product"' in statement for statement in prepared), prepared
