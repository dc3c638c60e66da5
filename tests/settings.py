"""Settings of the store's tests: the demo project's, with the test database, broker and encoder."""

from shop.settings import *  # noqa: F403
from tests.common_settings import *  # noqa: F403

RECOMMENDATIONS = {**RECOMMENDATIONS, **TEST_RECOMMENDATIONS}  # noqa: F405
