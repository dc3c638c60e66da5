"""The engine's test settings with the product model taken from TEST_PRODUCT_MODEL, and none at all
when that is empty: how the check tests start a misconfigured process."""

import os

from tests.engine.settings import *  # noqa: F403

if os.environ.get("TEST_PRODUCT_MODEL"):
    RECOMMENDATIONS_PRODUCT_MODEL = os.environ["TEST_PRODUCT_MODEL"]
else:
    del RECOMMENDATIONS_PRODUCT_MODEL
