"""Placements and the active model version are read once per process and dropped on any save:
a second page asks the database nothing about them, and an admin's change shows on the next."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import process_cache
from recommendations.models import Experiment, PinnedProduct, Placement, Variant
from recommendations.placements import placement_serve
from recommendations.process_cache import ProcessCache
from recommendations.recommenders.versions import active_version_id, version_train
from recommendations.request_memo import request_scope
from recommendations.services import interaction_record
from tests.engine.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products():
    return [ProductFactory(title=f"Item {i:02d}") for i in range(6)]


@pytest.fixture
def home():
    return Placement.objects.create(
        name="home", title="Picked for you", default_strategy="popular", k=3
    )


def ids(served):
    return [r.product.pk for r in served.results]


def placement_queries(queries) -> list[str]:
    tables = ("recommendations_placement", "recommendations_pinnedproduct",
              "recommendations_experiment", "recommendations_variant")  # fmt: skip
    return [q["sql"] for q in queries if any(f'FROM "{t}' in q["sql"] for t in tables)]


def test_a_second_page_reads_no_placement_rows(home, products):
    placement_serve("home", shopper="s:a")
    with CaptureQueriesContext(connection) as queries:
        placement_serve("home", shopper="s:a")
    assert placement_queries(queries) == []


def test_pins_bans_and_settings_show_at_once_after_a_save(home, products):
    newest = sorted(products, key=lambda p: -p.pk)
    assert ids(placement_serve("home")) == [p.pk for p in newest[:3]]

    PinnedProduct.objects.create(placement=home, product=newest[5], position=1)
    assert ids(placement_serve("home"))[0] == newest[5].pk

    home.banned_products.add(newest[5], newest[0])
    assert ids(placement_serve("home")) == [p.pk for p in newest[1:4]]

    home.k = 2
    home.save()
    assert len(placement_serve("home").results) == 2

    home.is_active = False
    home.save()
    with pytest.raises(ValueError, match="unknown or inactive placement"):
        placement_serve("home")


def test_an_experiment_starts_and_stops_on_save(home, products):
    assert placement_serve("home", shopper="s:a").assignment.experiment is None
    experiment = Experiment.objects.create(name="test", placement=home, is_active=True)
    Variant.objects.create(experiment=experiment, name="only", strategy="trending")
    assert placement_serve("home", shopper="s:a").assignment.strategy == "trending"
    experiment.is_active = False
    experiment.save()
    assert placement_serve("home", shopper="s:a").assignment.experiment is None


def test_a_new_model_version_is_served_at_once(products):
    assert active_version_id() is None
    interaction_record(shopper="s:a", kind="purchase", product_id=products[0].pk)
    version = version_train()
    assert active_version_id() == version.pk
    version.delete()
    assert active_version_id() is None


def test_without_a_shared_cache_rows_are_read_again_after_a_while(settings, monkeypatch):
    reads = []
    kept = ProcessCache("test", lambda key: reads.append(key) or len(reads))
    assert kept.get("a") == kept.get("a") == 1
    settings.RECOMMENDATIONS = {**settings.RECOMMENDATIONS, "PROCESS_CACHE_SECONDS": 0}
    assert kept.get("a") == 2
    kept.changed()
    settings.RECOMMENDATIONS = {**settings.RECOMMENDATIONS, "PROCESS_CACHE_SECONDS": 60}
    assert kept.get("a") == 3 and kept.get("a") == 3


class CountingCache:
    """The shared cache, counting the round trips that read stamps."""

    def __init__(self, real):
        self.real, self.reads = real, 0

    def get_many(self, keys, *args, **kwargs):
        self.reads += 1
        return self.real.get_many(keys, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self.real.set_many(*args, **kwargs)

    def set(self, *args, **kwargs):
        return self.real.set(*args, **kwargs)


def test_a_request_reads_every_stamp_in_one_round_trip_and_again_after_a_change(monkeypatch):
    shared = CountingCache(process_cache.cache)
    monkeypatch.setattr(process_cache, "cache", shared)
    reads = []
    kept = ProcessCache("test-request", lambda key: reads.append(key) or len(reads))
    other = ProcessCache("test-request-other", lambda key: -len(reads))
    with request_scope():
        assert kept.get("a") == kept.get("a") == 1 and kept.get("b") == 2
        assert other.get("a") == -2
        assert shared.reads == 1
        kept.changed()
        assert kept.get("a") == 3 and shared.reads == 2
        assert other.get("a") == -2, "another cache's rows are kept"
        later = ProcessCache("test-request-later", lambda key: "made mid-request")
        assert later.get("a") == "made mid-request" and shared.reads == 3
    kept.get("a")
    assert shared.reads == 4, "each request reads it afresh"
