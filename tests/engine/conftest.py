"""The engine's tests need their own settings, which install their catalog; under others they
could only fail, so they refuse to start."""

import pytest
from django.apps import apps

if not apps.is_installed("tests.engine.testapp"):
    raise pytest.UsageError(
        "tests/engine runs under its own settings: "
        "pytest --ds=tests.engine.settings tests/engine (make test runs both halves)"
    )
