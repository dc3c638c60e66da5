"""The store as a shopper uses it, in headless Chromium: browse, search, buy, recommendations, docs.

Screenshots of every step land in `test-screenshots/` (see `conftest.py`).
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from shop.store.demo.writes import SHOPPER_PASSWORD
from shop.store.models import Order

from .conftest import WAIT_SECONDS, WIDTHS

pytestmark = pytest.mark.slow


def texts(browser, selector: str) -> list[str]:
    return [element.text for element in browser.driver.find_elements(By.CSS_SELECTOR, selector)]


def widget_cards(browser) -> list:
    """Recommendation cards, which are the store's own cards inside a widget."""
    return browser.driver.find_elements(By.CSS_SELECTOR, ".rec-widget .card")


def assert_fits_a_phone(browser, *, max_height: int = 12_000) -> None:
    """Nothing pushes the page sideways at phone width (shelves scroll inside themselves), and
    the page is a few screens long, not one card per row."""
    width, height = browser.page_size("phone")
    browser.page_size("desktop")
    assert width <= WIDTHS["phone"]
    assert height <= max_height


def test_a_shopper_browses_searches_buys_and_is_recommended_to(browser, demo_store):
    driver = browser.driver

    browser.get("/")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Find something you'll love"
    assert len(driver.find_elements(By.CSS_SELECTOR, ".product-grid .card")) >= 8
    # The category bar lines up with the centred page, not with the window's edge.
    category_bar, main = (
        driver.find_element(By.CSS_SELECTOR, selector).rect["x"]
        for selector in (".category-nav li", "#new-heading")
    )
    assert category_bar == main > 0
    assert_fits_a_phone(browser)
    browser.shoot("01-home")

    category = driver.find_element(By.CSS_SELECTOR, ".category-nav a")
    name = category.text
    category.click()
    assert driver.find_element(By.TAG_NAME, "h1").text == name
    assert "products" in driver.find_element(By.CSS_SELECTOR, ".results-count").text
    browser.shoot("02-category")

    card = driver.find_element(By.CSS_SELECTOR, ".listing .card__title a")
    title = card.text
    card.click()
    assert driver.find_element(By.TAG_NAME, "h1").text == title
    cards = widget_cards(browser)
    assert cards, "no recommendation widget on the product page"
    # One card design: the widget card shows the store's price, rating and add-to-cart.
    first = cards[0]
    assert first.find_element(By.CSS_SELECTOR, ".card__price").text.startswith("€")
    assert first.find_elements(By.CSS_SELECTOR, ".card__rating")
    assert first.find_element(By.CSS_SELECTOR, ".card__add button")
    assert texts(browser, ".rec-card__reason")
    assert_fits_a_phone(browser)
    browser.shoot("03-product")

    search = driver.find_element(By.ID, "site-search")
    search.send_keys("jacket")
    search.submit()
    assert browser.path_after("/search/") == "/search/"
    assert any("jacket" in t.lower() for t in texts(browser, ".listing .card__title"))
    browser.shoot("04-search")

    in_stock = driver.find_element(By.XPATH, "//*[@class='listing']//article[.//form]")
    added = in_stock.find_element(By.CSS_SELECTOR, ".card__title a").text
    in_stock.find_element(By.CSS_SELECTOR, ".card__add button").click()
    assert browser.path_after("/cart/") == "/cart/"
    assert added in driver.find_element(By.CSS_SELECTOR, ".cart-table").text
    assert widget_cards(browser), "no recommendation widget on the cart page"
    assert_fits_a_phone(browser)
    browser.shoot("05-cart")

    browser.get("/accounts/login/?next=/")
    driver.find_element(By.NAME, "username").send_keys("shopper0001")
    driver.find_element(By.NAME, "password").send_keys(SHOPPER_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    assert browser.path_after("/") == "/"
    for_you = driver.find_element(By.CSS_SELECTOR, '[data-rec-placement="home"]')
    assert "Recommended for you" in for_you.text
    assert for_you.find_elements(By.CSS_SELECTOR, ".card")
    browser.shoot("06-for-you")

    browser.get("/checkout/")
    driver.find_element(By.NAME, "full_name").send_keys("Ada Shopper")
    driver.find_element(By.NAME, "email").clear()
    driver.find_element(By.NAME, "email").send_keys("ada@example.com")
    driver.find_element(By.NAME, "address").send_keys("1 Test Street, 1000 Testcity")
    driver.find_element(By.CSS_SELECTOR, ".checkout button[type=submit]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(expected_conditions.url_contains("/orders/"))
    order = Order.objects.filter(user__username="shopper0001").latest("created_at")
    assert added in [line.title for line in order.lines.all()]
    browser.shoot("07-order")
    assert browser.csp_violations() == []


def test_the_admin_product_list_fits_a_laptop(browser, demo_store, admin_user):
    driver = browser.driver

    browser.get("/admin/store/product/")
    driver.find_element(By.NAME, "username").send_keys(admin_user.username)
    driver.find_element(By.NAME, "password").send_keys("password")
    driver.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").click()
    table = driver.find_element(By.ID, "result_list")
    headers = texts(browser, "#result_list thead th")
    assert "PRICE" in headers and "STOCK" in headers
    browser.shoot("10-admin-products")
    # Every column is in view at a laptop's width: no scrolling sideways to reach price and stock.
    assert driver.execute_script("return arguments[0].parentElement.scrollWidth", table) <= (
        driver.execute_script("return arguments[0].parentElement.clientWidth", table)
    )


def loaded_from_elsewhere(browser) -> list[str]:
    """What the page fetched from another host."""
    loaded = browser.driver.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    assert loaded
    return [url for url in loaded if not url.startswith(browser.base_url)]


def test_the_api_docs_render_their_operations_offline(browser):
    driver = browser.driver

    browser.get("/api/docs/")
    operations = WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    )
    paths = {operation.text.replace("\u200b", "") for operation in operations}
    assert "/api/search/" in paths and "/api/recommendations/for-you/" in paths
    # Everything came from this server: the docs work where no CDN can be reached.
    assert loaded_from_elsewhere(browser) == []
    browser.shoot("08-api-docs")

    browser.get("/api/redoc/")
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: "/api/search/" in d.find_element(By.TAG_NAME, "body").text
    )
    # Only ReDoc's "API docs by Redocly" badge, which is simply missing offline.
    assert loaded_from_elsewhere(browser) == ["https://cdn.redoc.ly/redoc/logo-mini.svg"]
    browser.shoot("09-api-redoc")
