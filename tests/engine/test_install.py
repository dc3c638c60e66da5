"""The engine installs into a host that is not the demo shop: its migrations build on this catalog,
none is missing, and nothing of the demo shop's store is imported."""

import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from recommendations.models import ProductEmbedding
from tests.engine.testapp.models import Product

pytestmark = pytest.mark.django_db


def test_migrations_are_complete():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_engines_tables_refer_to_the_hosts_product_table():
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, ProductEmbedding._meta.db_table)
    assert relations["product_id"] == ("id", Product._meta.db_table)


def test_nothing_of_the_demo_store_is_imported():
    store = [name for name in sys.modules if name == "shop.store" or name.startswith("shop.store.")]
    assert store == []
