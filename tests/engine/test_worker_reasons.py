"""Reasons through a real broker and a real worker running the real local model."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Reason
from recommendations.recommenders.versions import version_train
from recommendations.shoppers import user_key
from tests.common_settings import SHARED_CACHES
from tests.engine.factories import BrandFactory, CategoryFactory, ProductFactory, UserFactory
from tests.worker import WorkerProcess

pytestmark = pytest.mark.slow


def test_a_page_never_waits_and_the_worker_generates_verified_reasons(
    transactional_db, tmp_path, client, settings, request
):
    summit = BrandFactory(name="Summit")
    tent = ProductFactory(title="Summit Dome Tent", brand=summit, price=Decimal("249.00"),
                          category=CategoryFactory(name="Tents"))  # fmt: skip
    mats = [ProductFactory(title=f"Summit Trail Mat {size}", brand=summit, price=Decimal("59.00"),
                           category=CategoryFactory(name=f"Mats {size}"))
            for size in ("S", "M", "L")]  # fmt: skip
    services.products_embed([tent.pk, *(m.pk for m in mats)])
    before = timezone.now() - timedelta(days=12)
    for n in range(4):
        for i, product in enumerate((tent, *mats)):
            services.interaction_record(shopper=f"x:c{n}", kind="purchase", product_id=product.pk,
                                        created_at=before + timedelta(days=i))  # fmt: skip
    alice = UserFactory(username="alice")
    services.interaction_record(shopper=user_key(alice.pk), kind="purchase", product_id=tent.pk)
    version_train()
    assert client.login(username="alice", password="correct-horse-battery")
    url = reverse("recommendations_api:for-you")
    worker_env = {"TEST_REASONS_GENERATOR": "local", "TEST_SHARED_CACHE": "1"}
    with WorkerProcess(tmp_path, extra_env=worker_env) as worker:
        # After the worker starts: its command line needs the settings module's name, which an
        # override hides. The worker's new reasons reach this process as they reach a
        # deployment's web processes: through the shared cache, at once, however long each
        # process may keep what it read.
        settings.CACHES = SHARED_CACHES
        request.addfinalizer(cache.clear)  # this run's keys, before the settings are restored
        settings.RECOMMENDATIONS = {
            **settings.RECOMMENDATIONS,
            "REASONS": {"GENERATOR": "local"},
            "PROCESS_CACHE_SECONDS": 3600,
        }
        first = client.get(url, {"k": 3}).json()["results"]
        assert [item["reason_source"] for item in first] == ["template"] * 3
        worker.wait_for(lambda: Reason.objects.count() >= 3, timeout=240)
    rows = list(Reason.objects.all())
    assert {row.generator for row in rows} == {"local"}
    assert all(row.verdict in (Reason.Verdict.PASSED, Reason.Verdict.FAILED) for row in rows)
    assert all(row.cause for row in rows if row.verdict == Reason.Verdict.FAILED)
    again = client.get(url, {"k": 3}).json()["results"]
    passed = {row.product_id: row.text for row in rows if row.verdict == Reason.Verdict.PASSED}
    shown = set()
    for item in again:
        if item["id"] in passed and passed[item["id"]] not in shown:
            assert (item["reason"], item["reason_source"]) == (passed[item["id"]], "generated")
        else:
            # Not generated, or the same sentence already stands under another card.
            assert item["reason_source"] == "template"
        shown.add(item["reason"])
    assert passed, "the real model produced no sentence that passed the verifier"
