"""What the widgets of one page share: read once per request, forgotten when the same request
changes it, never kept outside a request."""

import pytest
from django.db import DatabaseError

from recommendations import services
from recommendations.factories import get_adapter
from recommendations.privacy import personalisation_enabled, personalisation_set
from recommendations.product_rows import products_known, products_read
from recommendations.reasons.collect import _searches
from recommendations.request_memo import request_scope, write_deferred
from tests.engine.factories import ProductFactory

pytestmark = pytest.mark.django_db
SHOPPER = "x:memo"


def test_the_privacy_choice_is_read_once_a_request_and_follows_a_change(
    django_assert_num_queries,
):
    with request_scope():
        with django_assert_num_queries(1):
            assert personalisation_enabled(SHOPPER) and personalisation_enabled(SHOPPER)
        personalisation_set(SHOPPER, enabled=False)
        assert not personalisation_enabled(SHOPPER)
    with django_assert_num_queries(2):
        # Outside a request: read every time.
        assert not personalisation_enabled(SHOPPER) and not personalisation_enabled(SHOPPER)


@pytest.mark.parametrize("enabled", [True, False])
def test_recording_an_event_reads_the_privacy_choice_in_the_same_statement(
    enabled, django_assert_num_queries
):
    personalisation_set(SHOPPER, enabled=enabled)
    with request_scope(), django_assert_num_queries(1):
        services.interaction_record(shopper=SHOPPER, kind="search", text="tent")
        assert personalisation_enabled(SHOPPER) is enabled


def test_a_row_the_shop_holds_is_not_read_again_if_it_carries_what_the_engine_reads(
    django_assert_num_queries,
):
    product = ProductFactory()
    complete = get_adapter().queryset().get(pk=product.pk)
    with request_scope():
        products_known([complete])
        with django_assert_num_queries(0):
            assert products_read([product.pk]) == {product.pk: complete}
    # Without its category and brand, using it would cost a query each: read as the engine does.
    bare = type(product).objects.get(pk=product.pk)
    with request_scope():
        products_known([bare])
        with django_assert_num_queries(1):
            read = products_read([product.pk])[product.pk]
            assert read is not bare and read.category.name == product.category.name
        with django_assert_num_queries(0):
            assert products_read([product.pk])[product.pk] is read


def test_a_search_made_during_the_request_is_among_its_searches(django_assert_num_queries):
    services.interaction_record(shopper=SHOPPER, kind="search", text="tent")
    with request_scope():
        with django_assert_num_queries(1):
            assert [text for text, _ in _searches(SHOPPER)] == ["tent"]
            assert [text for text, _ in _searches(SHOPPER)] == ["tent"]
        services.interaction_record(shopper=SHOPPER, kind="search", text="stove")
        assert [text for text, _ in _searches(SHOPPER)] == ["stove", "tent"]


def test_requests_do_not_share(django_assert_num_queries):
    for _ in range(2):
        with request_scope(), django_assert_num_queries(1):
            personalisation_enabled(SHOPPER)


def test_deferred_writes_wait_for_the_response_and_go_in_one_statement():
    written = []
    with request_scope() as scope:
        write_deferred("rows", [1, 2], written.append)
        write_deferred("rows", [3], written.append)
        assert written == []
    scope.flush()
    assert written == [[1, 2, 3]]
    scope.flush()
    assert written == [[1, 2, 3]], "written once"
    # Outside a request: at once.
    write_deferred("rows", [4], written.append)
    assert written[-1] == [4]


def test_a_deferred_write_that_fails_is_logged_not_raised(caplog):
    def failing(rows):
        raise DatabaseError("connection lost")

    with request_scope() as scope:
        write_deferred("impressions", [1], failing)
    scope.flush()
    assert "Deferred impressions not written" in caplog.text
