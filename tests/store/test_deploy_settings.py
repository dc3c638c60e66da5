"""Production settings are safe by default: debug off, a key required, TLS and a CSP on, and every
one of them switchable by an environment variable. Settings are read as a fresh process would,
from `shop/settings.py` under the environment given."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from recommendations.models import Experiment, Placement, RecommendationEvent, Variant
from recommendations.services import products_embed
from tests.factories import ProductFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
SECURITY_ENV = [
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "DJANGO_SECURE_HSTS_PRELOAD",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "DJANGO_CSP",
]
# The settings a deployment's requests are served with, copied into the running tests.
SERVED = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
]


def settings_from_env(monkeypatch, **env: str) -> dict:
    for name in SECURITY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-key-of-this-test")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "shop" / "settings.py"))


def served(values: dict) -> dict:
    """The security part of a settings module, with its CSP (or none), for override_settings."""
    chosen = {name: values[name] for name in SERVED}
    chosen["CONTENT_SECURITY_POLICY"] = values.get("CONTENT_SECURITY_POLICY")
    chosen["CONTENT_SECURITY_POLICY_REPORT_ONLY"] = values.get(
        "CONTENT_SECURITY_POLICY_REPORT_ONLY"
    )
    return chosen


def test_debug_is_off_and_transport_security_on_by_default(monkeypatch):
    values = settings_from_env(monkeypatch)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]


def test_the_demo_turns_debug_on_and_keeps_its_csp(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY")
    values = settings_from_env(monkeypatch, DJANGO_DEBUG="1", DJANGO_SECRET_KEY="")
    assert values["DEBUG"] is True
    assert values["SECRET_KEY"].startswith("insecure-development-key")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert not values["SESSION_COOKIE_SECURE"]
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert "CONTENT_SECURITY_POLICY" in values


def test_each_protection_is_switched_by_its_variable(monkeypatch):
    values = settings_from_env(
        monkeypatch,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_PRELOAD="no",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SECURE_PROXY_SSL_HEADER="0",
        DJANGO_CSP="report-only",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert not values["SESSION_COOKIE_SECURE"] and not values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert "CONTENT_SECURITY_POLICY" not in values
    assert values["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]["default-src"]
    values = settings_from_env(monkeypatch, DJANGO_CSP="off")
    assert "CONTENT_SECURITY_POLICY" not in values
    assert "CONTENT_SECURITY_POLICY_REPORT_ONLY" not in values


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DJANGO_SECURE_HSTS_SECONDS", "a year", "DJANGO_SECURE_HSTS_SECONDS must be a whole"),
        ("DJANGO_SECURE_HSTS_SECONDS", "-5", "DJANGO_SECURE_HSTS_SECONDS must be a whole"),
        ("DJANGO_SECURE_COOKIES", "maybe", "DJANGO_SECURE_COOKIES must be a boolean"),
        ("DJANGO_CSP", "strict", "DJANGO_CSP must be enforce, report-only or off"),
    ],
)
def test_a_malformed_variable_is_named(monkeypatch, name, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_from_env(monkeypatch, **{name: value})


@pytest.mark.slow
def test_no_secret_key_with_debug_off_refuses_to_start_with_one_line():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        "Configuration error: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
        "(for local development only: DJANGO_DEBUG=1)\n"
    )


def production(monkeypatch) -> override_settings:
    return override_settings(**served(settings_from_env(monkeypatch)))


def test_https_is_enforced_and_announced(client, db, monkeypatch):
    with production(monkeypatch):
        plain = client.get(reverse("store:home"))
        assert plain.status_code == 301
        assert plain["Location"].startswith("https://")
        # Behind the proxy, which says the request came over https.
        secure = client.get(reverse("store:home"), headers={"x-forwarded-proto": "https"})
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )


def test_cookies_are_secure(client, db, monkeypatch):
    user = UserFactory(username="ada")
    user.set_password("a-long-password-1")
    user.save()
    with production(monkeypatch):
        response = client.post(
            reverse("store:login"),
            {"username": "ada", "password": "a-long-password-1"},
            secure=True,
        )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style([^>]*)>", re.IGNORECASE)


def assert_works_under_csp(response) -> None:
    """What the policy would block: inline scripts, handlers and style attributes, and <style>
    elements without the response's nonce."""
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    assert INLINE_HANDLER.findall(html) == []
    assert STYLE_ATTRIBUTE.findall(html) == []
    for attributes in STYLE_ELEMENT.findall(html):
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        assert nonce and f"'nonce-{nonce.group(1)}'" in policy, attributes


def test_store_pages_work_under_the_csp(client, db, monkeypatch):
    products = ProductFactory.create_batch(4)
    products_embed([p.pk for p in products])
    product = products[0]
    with production(monkeypatch):
        page = client.get(product.get_absolute_url(), secure=True).content.decode()
        # The engine's widgets are on it, with their stylesheet and script.
        assert "rec-card" in page and "placements.js" in page
        for url in (
            reverse("store:home"),
            reverse("store:search") + "?q=shoes",
            product.get_absolute_url(),
            reverse("store:cart"),
            reverse("store:login"),
            reverse("store:your_data"),
            reverse("recommendations:ask") + "?q=shoes+under+50",
        ):
            response = client.get(url, secure=True)
            assert response.status_code == 200, url
            assert_works_under_csp(response)


def test_admin_pages_work_under_the_csp(admin_client, db, monkeypatch):
    product = ProductFactory()
    home = Placement.objects.create(name="csp", title="For you", default_strategy="popular")
    experiment = Experiment.objects.create(name="Blend", placement=home, is_active=True)
    variant = Variant.objects.create(experiment=experiment, name="control", strategy="popular")
    RecommendationEvent.objects.create(
        placement=home, experiment=experiment, variant=variant, shopper="s:a", product=product,
        position=1, kind="impression",
    )  # fmt: skip
    with production(monkeypatch):
        for url in (
            reverse("admin:index"),
            reverse("admin:store_product_changelist"),
            reverse("admin:recommendations_interaction_changelist"),
            reverse("admin:recommendations_productembedding_changelist"),
            reverse("admin:recommendations_preview") + f"?product={product.pk}",
            reverse("admin:recommendations_experiment_dashboard", args=[experiment.pk]),
        ):
            response = admin_client.get(url, secure=True)
            assert response.status_code == 200, url
            assert_works_under_csp(response)


def compose_environment() -> dict[str, str]:
    """The web service's environment in docker/compose.yaml, with the values an operator gives."""
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    given = {
        "POSTGRES_PASSWORD": "pw",
        "DJANGO_SECRET_KEY": "k" * 20 + "-an-operator-s-long-random-secret-key-" + "x" * 20,
        "DJANGO_ALLOWED_HOSTS": "shop.example.com",
    }

    def substitute(match: re.Match) -> str:
        name, default = match.group(1), match.group(3) or ""
        return given.get(name, default if match.group(2) == ":-" else "")

    return {
        name: re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", substitute, str(value))
        for name, value in compose["services"]["web"]["environment"].items()
    }


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_docker_settings(db):
    env = {k: v for k, v in os.environ.items() if k not in [*SECURITY_ENV, "DJANGO_SECRET_KEY"]}
    env.update(compose_environment())
    # The same settings against this run's database instead of the compose network's.
    connection.ensure_connection()
    db_settings = connection.settings_dict
    host = quote(db_settings["HOST"], safe="")
    env["DATABASE_URL"] = (
        f"postgres://{db_settings['USER']}@{host}:{db_settings['PORT']}/{db_settings['NAME']}"
    )
    env["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
