"""Placements: named slots with merchandising rules, A/B experiments, tracking and statistics.

`serve` is the entry point (the template tag and the API call it); `rules`, `experiments`,
`tracking` and `stats` are one concern each.
"""

from .experiments import Assignment, assignment_for, variant_pick
from .serve import (
    PlacementResult,
    UnknownPlacement,
    placement_get,
    placement_names,
    placement_recommend,
    placement_serve,
)
from .stats import experiment_daily, experiment_stats, wilson_interval
from .tracking import click_record, impressions_record, placement_events_merge

__all__ = [
    "Assignment",
    "PlacementResult",
    "UnknownPlacement",
    "assignment_for",
    "click_record",
    "experiment_daily",
    "experiment_stats",
    "impressions_record",
    "placement_events_merge",
    "placement_get",
    "placement_names",
    "placement_recommend",
    "placement_serve",
    "variant_pick",
    "wilson_interval",
]
