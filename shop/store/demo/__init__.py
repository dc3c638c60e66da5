"""Deterministic demo data for the store: catalog, shoppers, their orders, reviews and behaviour."""

from .events import demo_events
from .experiment import demo_experiment_ensure
from .personas import PERSONAS, Persona
from .service import SeedOptionsError, SeedReport, seed_demo

__all__ = [
    "PERSONAS",
    "Persona",
    "SeedOptionsError",
    "SeedReport",
    "demo_events",
    "demo_experiment_ensure",
    "seed_demo",
]
