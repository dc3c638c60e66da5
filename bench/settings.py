"""The shop's settings with the bench's URLconf: the shop's URLs plus the floor view."""

from shop.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# As Django's test runner does: with DEBUG on, every query is also logged in memory.
DEBUG = False
