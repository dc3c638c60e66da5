"""Schemathesis against the API's OpenAPI schema as the app serves it: every operation, every check
(no server errors, responses and status codes as documented, invalid input rejected, valid input
accepted), through the WSGI application, in well under two minutes."""

from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.config import SchemathesisConfig

from shop.wsgi import application
from tests.factories import ProductFactory

# Hypothesis keeps what it learns beside pytest's cache (git-ignored), not in the checkout's root.
set_hypothesis_home_dir(Path(__file__).resolve().parents[2] / ".pytest_cache" / "hypothesis")

# One exception to "a schema-valid request is accepted": the words of a search must ask for
# something, which no schema can say ("no" is a string of the right length, but a 400).
CONFIG = SchemathesisConfig.from_str("""
[[operations]]
include-path = "/api/search/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "404", "429"]
""")

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


@pytest.fixture
def catalog(db):
    ProductFactory.create_batch(3)
    # As Django's test client does: the requests share the test's transaction, which closing
    # "old" connections at the end of each request would end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, catalog):
    case.call_and_validate()
