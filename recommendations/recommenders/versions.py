"""Model versions: fit every learned recommender, write the version while inactive, then
switch it on in one transaction, so a request sees the old version or the new one, never a mix."""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from ..conf import app_settings
from ..factories import get_adapter
from ..models import CollaborativeModel
from ..process_cache import ProcessCache
from .dataset import Event, InteractionData, events_from_db, interaction_data
from .registry import get_recommender, recommender_names

logger = logging.getLogger(__name__)
Version = CollaborativeModel


class NoInteractions(Exception):
    """Nothing to learn from; content-based recommendations keep serving."""


def catalog_ids() -> list[int]:
    """Every product, so untouched ones can still be ranked (through content)."""
    manager = get_adapter().model._default_manager
    return list(manager.order_by("pk").values_list("pk", flat=True))


def dataset_build(events: list[Event], product_ids: list[int] | None = None) -> InteractionData:
    data = interaction_data(events, catalog_ids() if product_ids is None else product_ids)
    if not data.events:
        raise NoInteractions("No interactions with products are recorded yet.")
    return data


def artifacts_fit(
    data: InteractionData, *, names: list[str] | None = None, learned_only: bool = False
) -> dict[str, object]:
    """Pure computation, no writes: what training stores and what evaluation scores with."""
    recommenders = [get_recommender(name) for name in names or recommender_names()]
    return {r.name: r.fit(data) for r in recommenders if r.learned or not learned_only}


def artifacts_load(
    data: InteractionData, version: int | None, *, names: list[str] | None = None
) -> dict[str, object]:
    """The artifacts as served by `version`, in the rows and columns of `data`."""
    return {
        name: get_recommender(name).load(data, version=version)
        for name in names or recommender_names()
    }


def _active_read(_key: object) -> int | None:
    return Version.objects.filter(is_active=True).values_list("pk", flat=True).first()


# Read by every request that ranks; changed only by an activation (a save) or a deletion.
_active = ProcessCache("model-version", _active_read)
post_save.connect(_active.changed, sender=Version, dispatch_uid="active-version-saved")
post_delete.connect(_active.changed, sender=Version, dispatch_uid="active-version-deleted")


def active_version_id() -> int | None:
    return _active.get(None)


def version_activate(version: Version) -> None:
    with transaction.atomic():
        Version.objects.filter(is_active=True).update(
            is_active=False, status=Version.Status.RETIRED
        )
        version.is_active = True
        version.status = Version.Status.ACTIVE
        version.activated_at = timezone.now()
        version.save(update_fields=["is_active", "status", "activated_at"])
    # Keep the previous version for a quick look back; older ones go.
    retired = Version.objects.filter(is_active=False).exclude(status=Version.Status.TRAINING)
    for old in retired.order_by("-created_at")[1:]:
        old.delete()


def version_train() -> Version:
    """Fit on every recorded interaction and activate; raises NoInteractions on an empty log."""
    started = time.perf_counter()
    data = dataset_build(list(events_from_db()))
    artifacts = artifacts_fit(data, learned_only=True)
    version = Version.objects.create(
        params={
            "recommenders": list(artifacts),
            # Those that found too little to learn from (their `fit` gave nothing).
            "untrained": [name for name, artifact in artifacts.items() if artifact is None],
            "neighbours": app_settings.CF_NEIGHBOURS,
            "shrink": app_settings.CF_SHRINK,
            "factors": app_settings.CF_FACTORS,
            **app_settings.CF_ALS,
        },
        interactions=data.events,
        shoppers=len(data.shoppers),
        products=len(data.product_ids),
    )
    try:
        with transaction.atomic():
            for name, artifact in artifacts.items():
                if artifact is not None:
                    get_recommender(name).write(artifact, version=version.pk, data=data)
    except Exception as exc:
        Version.objects.filter(pk=version.pk).update(
            status=Version.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    version.train_seconds = time.perf_counter() - started
    version.save(update_fields=["train_seconds"])
    version_activate(version)
    logger.info("model version %s active after %.1fs", version.pk, version.train_seconds)
    return version
