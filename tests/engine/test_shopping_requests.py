"""Natural-language requests: hard constraints in English and Chinese."""

from decimal import Decimal

import pytest

from recommendations.shopping_requests import request_parse
from tests.engine.factories import BrandFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("waterproof hiking jacket under 100", None, "100"),
        ("a gift for a runner under 50 EUR", None, "50"),
        ("headphones below €80", None, "80"),
        ("tent less than 250 euros", None, "250"),
        ("shoes between 40 and 90", "40", "90"),
        ("lamp 20-60 eur", "20", "60"),
        ("knife from 30 to 70", "30", "70"),
        ("premium watch over 200", "200", None),
        ("running shoes at least 60 and at most 120", "60", "120"),
        ("送给跑步爱好者的礼物 200元以下", None, "200"),
        ("防水夹克 低于100元", None, "100"),
        ("帐篷 价格在50到150之间", "50", "150"),
        ("咖啡机 300元以上", "300", None),
        ("瑜伽垫 不超过80", None, "80"),
        ("a gift for a runner", None, None),
    ],
)
def test_price_bounds(text, low, high):
    parsed = request_parse(text)
    assert parsed.min_price == (Decimal(low) if low else None)
    assert parsed.max_price == (Decimal(high) if high else None)


def test_stock_brand_and_most_specific_category():
    BrandFactory(name="Summit")
    running = CategoryFactory(name="Running")
    shoes = CategoryFactory(name="Trail running shoes", parent=running)
    parsed = request_parse("Summit trail running shoes in stock under 120")
    assert parsed.in_stock and parsed.max_price == Decimal("120")
    assert len(parsed.brand_ids) == 1
    assert parsed.category_ids == [shoes.pk]
    assert "summit" not in parsed.semantic_text.lower()
    assert "120" not in parsed.semantic_text


def test_parent_category_includes_children():
    outdoor = CategoryFactory(name="Outdoor")
    tents = CategoryFactory(name="Tents", parent=outdoor)
    parsed = request_parse("something for outdoor adventures")
    assert set(parsed.category_ids) == {outdoor.pk, tents.pk}


def test_chinese_request_gets_an_english_gloss_for_the_encoder():
    parsed = request_parse("送给跑步爱好者的礼物 200元以下")
    assert "running" in parsed.semantic_text and "gift" in parsed.semantic_text
    assert "200" not in parsed.semantic_text


@pytest.mark.parametrize(
    ("text", "high", "problem"),
    [
        ("tent under 99999999999999999999999999999999", None, True),
        ("tent under 1e400", None, True),
        ("tent under 1,500", "1500", False),
        ("tent under 12,50 eur", "12.50", False),
        ("tent under 99999999.99", "99999999.99", False),
        ("tent under 99999999.999", None, True),
    ],
)
def test_prices_beyond_the_price_column_are_left_out_and_said(text, high, problem):
    parsed = request_parse(text)
    assert parsed.max_price == (Decimal(high) if high else None)
    assert bool(parsed.problems) == problem
    assert "1e400" not in parsed.semantic_text and "tent" in parsed.semantic_text


def test_only_limits_leave_no_words_to_search_for():
    parsed = request_parse("under 50 in stock")
    assert parsed.max_price == Decimal("50") and parsed.in_stock
    assert parsed.semantic_text == ""
