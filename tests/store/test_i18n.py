"""The store in Simplified Chinese: the switcher, the pages it translates, and the catalogues."""

import ast
import gettext
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from recommendations.presentation import constraints_in_words
from tests.factories import OrderFactory, ProductFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
# The shop's strings (top-level templates and shop/), and the app's own, shipped with it.
CATALOGUES = [
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
    ROOT / "recommendations/locale/zh_Hans/LC_MESSAGES/django.po",
]
SET_LANGUAGE = reverse("set_language")


def choose(client, language: str, next_url: str = "/"):
    return client.post(SET_LANGUAGE, {"language": language, "next": next_url})


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_english_is_the_default(client):
    ProductFactory()

    html = page(client, reverse("store:home"))

    assert '<html lang="en">' in html
    assert "New arrivals" in html
    assert 'lang="zh-hans">简体中文</button>' in html


@pytest.mark.django_db
def test_chinese_translates_the_home_and_product_pages(client):
    product = ProductFactory(title="Kettle", stock=3, attributes={"colour": "red"})

    response = choose(client, "zh-hans", product.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    home = page(client, reverse("store:home"))
    assert '<html lang="zh-hans">' in home
    assert "新品上架" in home
    assert "发现您喜爱的好物" in home
    assert "描述您想要的商品" in home  # from the recommendations app's own catalogue
    assert "New arrivals" not in home
    assert 'lang="en">English</button>' in home
    detail = page(client, product.get_absolute_url())
    assert '<html lang="zh-hans">' in detail
    for text in ("加入购物车", "有货：仅剩 3 件", "规格参数", "暂无评价。"):
        assert text in detail
    assert "Add to cart" not in detail


@pytest.mark.django_db
def test_messages_and_form_errors_follow_the_language(client):
    product = ProductFactory(title="Kettle", stock=2)
    add = reverse("store:cart_add", args=[product.pk])
    choose(client, "zh-hans")

    client.post(add, {"quantity": "1"})
    assert "已将 1 × Kettle 加入购物车。" in page(client, reverse("store:cart"))
    refused = client.post(add, {"quantity": "5"})
    assert "库存仅剩 2 件（您的购物车中已有 1 件）。" in refused.content.decode()


def assert_switcher_returns_to(client, url: str) -> None:
    html = unescape(page(client, url))
    assert f'action="{SET_LANGUAGE}"' in html, url
    assert f'name="next" value="{url}"' in html, url


@pytest.mark.django_db
def test_the_switcher_is_on_every_store_page_and_comes_back_to_it(client):
    product = ProductFactory()
    for url in [
        reverse("store:home"),
        product.category.get_absolute_url(),
        product.get_absolute_url(),
        reverse("store:search") + "?q=kettle",
        reverse("store:login"),
        reverse("store:signup"),
    ]:
        assert_switcher_returns_to(client, url)
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": "1"})
    for url in [
        reverse("store:cart"),
        reverse("store:checkout"),
        reverse("store:order_list"),
        OrderFactory(user=user).get_absolute_url(),
    ]:
        assert_switcher_returns_to(client, url)


@pytest.mark.django_db
def test_a_page_answering_a_post_switches_back_to_the_home_page(client):
    """Its URL only takes a POST, so coming back to it would be a 405."""
    product = ProductFactory(stock=1)

    response = client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": "5"})

    assert response.status_code == 400
    assert f'name="next" value="{reverse("store:home")}"' in response.content.decode()


@pytest.mark.django_db
def test_the_404_page_is_translated_and_has_the_switcher(client):
    choose(client, "zh-hans")

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面未找到" in response.content.decode()
    assert f'action="{SET_LANGUAGE}"' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(client):
    response = choose(client, "xx")

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="en">' in page(client, reverse("store:home"))
    html = client.get(reverse("store:home"), headers={"accept-language": "xx"}).content.decode()
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_a_card_shows_its_reason():
    card = {"id": 1, "title": "Kettle", "price": "12.00", "currency": "EUR", "in_stock": True}
    cards = [
        {
            **card,
            "score": 0.5,
            "reason": "Goes with the mug in your cart",
            "reason_source": "template",
        },
        {**card, "id": 2, "score": 0.4},
    ]

    html = render_to_string("recommendations/_cards.html", {"cards": cards})

    assert html.count('class="rec-card__reason"') == 1
    assert '<p class="rec-card__reason">Goes with the mug in your cart</p>' in html
    assert html.count('data-reason-source="template"') == 1


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr and msgstr[n], and flags."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": ""}
        if line.startswith("#,"):
            entry["flags"] += line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def translations(path: Path) -> list[tuple[dict, list[str]]]:
    """Each real entry with its msgstr forms; the header (msgid "") is left out."""
    return [
        (entry, [entry[key] for key in entry if key.startswith("msgstr")])
        for entry in po_entries(path)
        if entry["msgid"]
    ]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-4])
def test_every_string_is_translated(po):
    entries = translations(po)

    assert entries
    untranslated = [e["msgid"] for e, forms in entries if not all(forms) or "fuzzy" in e["flags"]]
    assert untranslated == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-4])
def test_the_compiled_catalogue_matches_its_po_file(po):
    """Compared by content, not by file times, which a fresh checkout sets in any order: run
    `compilemessages` after editing a .po file."""
    with po.with_suffix(".mo").open("rb") as mo_file:
        mo = gettext.GNUTranslations(mo_file)

    for entry, forms in translations(po):
        context, msgid = entry.get("msgctxt"), entry["msgid"]
        if "msgid_plural" in entry:
            compiled = (
                mo.npgettext(context, msgid, entry["msgid_plural"], 1)
                if context
                else (mo.ngettext(msgid, entry["msgid_plural"], 1))
            )
        else:
            compiled = mo.pgettext(context, msgid) if context else mo.gettext(msgid)
        assert compiled == forms[0], msgid


@pytest.mark.django_db
def test_the_apps_words_come_from_its_own_catalogue():
    """The engine is dropped into other shops, so it carries its translations with it."""
    with translation.override("zh-hans"):
        assert constraints_in_words("a gift under 50 EUR in stock") == ["价格不超过 50", "有货"]
