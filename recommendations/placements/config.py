"""A placement's rules as every request reads them: kept per process, dropped on any save.

The placement, its bans, its pins and its active experiments change when a merchandiser saves
them in the admin, and are read by every widget on every page (see `process_cache`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import Experiment, PinnedProduct, Placement, Variant
from ..process_cache import ProcessCache


@dataclass(frozen=True)
class PlacementConfig:
    placement: Placement
    banned_ids: frozenset[int]
    # Pinned product ids in position order (availability is checked when serving).
    pin_ids: tuple[int, ...]
    # Active experiments, newest first, with their variants loaded.
    experiments: tuple[Experiment, ...]

    def experiment_running(self, now: datetime) -> Experiment | None:
        """As `experiments.experiment_running` asks the database: the newest active one inside
        its time window."""
        for experiment in self.experiments:
            if experiment.started_at is not None and experiment.started_at > now:
                continue
            if experiment.ended_at is not None and experiment.ended_at <= now:
                continue
            return experiment
        return None


def placement_config(name: str) -> PlacementConfig | None:
    """The active placement so named with its rules; None when there is none."""
    return _configs.get(name)


def _read(name: str) -> PlacementConfig | None:
    placement = Placement.objects.filter(name=name, is_active=True).first()
    return placement_config_read(placement) if placement is not None else None


def placement_config_read(placement: Placement) -> PlacementConfig:
    """The placement's rules from the database, kept nowhere."""
    experiments = (
        Experiment.objects.filter(placement=placement, is_active=True)
        .order_by("-created_at", "-pk")
        .prefetch_related("variants")
    )
    return PlacementConfig(
        placement=placement,
        banned_ids=frozenset(placement.banned_products.values_list("pk", flat=True)),
        pin_ids=tuple(
            placement.pins.order_by("position", "pk").values_list("product_id", flat=True)
        ),
        experiments=tuple(experiments),
    )


_configs: ProcessCache[PlacementConfig | None] = ProcessCache("placements", _read)
for _model in (Placement, PinnedProduct, Experiment, Variant):
    post_save.connect(_configs.changed, sender=_model, dispatch_uid=f"placements-{_model}")
    post_delete.connect(_configs.changed, sender=_model, dispatch_uid=f"placements-delete-{_model}")
m2m_changed.connect(
    _configs.changed, sender=Placement.banned_products.through, dispatch_uid="placement-bans"
)
