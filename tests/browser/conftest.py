"""A real browser on the real store: headless Chromium driven by Selenium against `live_server`.

`make test` installs Debian's `chromium` and `chromium-driver` when it can; where no browser is
found these tests skip with a message saying so. Every step is photographed at a desktop and a
phone width into `test-screenshots/` (git-ignored), so a reviewer can look at the pages.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.wait import WebDriverWait

from recommendations.recommenders.versions import version_train
from recommendations.services import products_embed
from shop.demo import demo_history_load
from shop.store.demo import seed_demo
from shop.store.models import Product
from tests.factories import store_placements_restore

SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", settings.BASE_DIR / "test-screenshots"))
# A laptop and a phone (CSS pixels); pages are photographed whole, up to this height.
WIDTHS = {"desktop": 1366, "phone": 390}
VIEWPORT_HEIGHT = {"desktop": 900, "phone": 844}
MAX_SHOT_HEIGHT = 8000
DEMO_SIZES = {"products": 120, "users": 20, "seed": 42}
WAIT_SECONDS = 10


def _executable(*names: str) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


class Browser:
    """The driver, the live server's address, and a camera for both widths."""

    def __init__(self, driver, base_url: str, folder: Path) -> None:
        self.driver = driver
        self.base_url = base_url
        self.folder = folder

    def get(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def path_after(self, expected: str) -> str:
        """The page's path once a click or submit has led to `expected` (or the time is up):
        a click returns before the browser has followed the form's answer."""
        with contextlib.suppress(TimeoutException):
            WebDriverWait(self.driver, WAIT_SECONDS).until(
                lambda driver: urlsplit(driver.current_url).path == expected
            )
        return urlsplit(self.driver.current_url).path

    def shoot(self, name: str) -> None:
        """The whole page at each width, lazy images loaded; the desktop viewport is kept."""
        for device, width in WIDTHS.items():
            height = min(self.page_size(device)[1], MAX_SHOT_HEIGHT)
            # A viewport as tall as the picture, so lazy images load before it is taken.
            self._metrics(device, height)
            WebDriverWait(self.driver, WAIT_SECONDS).until(
                lambda driver: driver.execute_script(
                    "return Array.from(document.images).every(image => image.complete)"
                )
            )
            clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
            shot = self.driver.execute_cdp_cmd(
                "Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip}
            )
            (self.folder / f"{name}-{device}.png").write_bytes(base64.b64decode(shot["data"]))
        self._metrics("desktop")

    def csp_violations(self) -> list[str]:
        """What the Content-Security-Policy blocked since the last call (the console's log)."""
        return [
            entry["message"]
            for entry in self.driver.get_log("browser")
            if "Content Security Policy" in entry["message"]
        ]

    def page_size(self, device: str) -> tuple[int, int]:
        """How wide and tall the page lays out on a device (wider than it: sideways scrolling);
        the device's viewport stays set."""
        self._metrics(device)
        return self.driver.execute_script(
            "const root = document.documentElement; return [root.scrollWidth, root.scrollHeight]"
        )

    def _metrics(self, device: str, height: int | None = None) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": WIDTHS[device],
                "height": height or VIEWPORT_HEIGHT[device],
                "deviceScaleFactor": 1,
                "mobile": device == "phone",
            },
        )


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    binary = _executable("chromium", "chromium-browser", "google-chrome")
    driver_path = _executable("chromedriver", "chromium-driver")
    if binary is None or driver_path is None:
        pytest.skip(
            "No Chromium found (looked for chromium and chromedriver on PATH): the browser tests "
            "need it. `make browser` installs Debian's chromium and chromium-driver."
        )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--lang=en-US",
        f"--window-size={WIDTHS['desktop']},{VIEWPORT_HEIGHT['desktop']}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))
    driver.implicitly_wait(WAIT_SECONDS)
    yield driver
    driver.quit()


@pytest.fixture
def browser(transactional_db, live_server, chromium) -> Iterator[Browser]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chromium.delete_all_cookies()
    yield Browser(chromium, live_server.url, SCREENSHOTS)


@pytest.fixture
def demo_store(transactional_db) -> None:
    """The small demo catalog with its shoppers' history, embedded and trained, as `make demo`
    has it after the worker's first rounds."""
    store_placements_restore()
    seed_demo(**DEMO_SIZES)
    demo_history_load(**DEMO_SIZES)
    products_embed(list(Product.objects.values_list("pk", flat=True)))
    version_train()
