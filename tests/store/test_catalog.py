"""Catalog pages: listing filters, sort and pagination, search ranking, product detail, 404s."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.store.catalog import nav_categories
from shop.store.images import placeholder_image_svg
from shop.store.models import Product, Review
from tests.factories import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [product.title for product in response.context["page_obj"].object_list]


def listing(client, category, **params):
    return client.get(reverse("store:category", args=[category.slug]), params)


def test_home_shows_new_products_by_category(client):
    shoes = CategoryFactory(name="Shoes")
    ProductFactory(title="Trail runner", category=CategoryFactory(parent=shoes))
    ProductFactory(title="Hidden", category=shoes, is_active=False)

    response = client.get(reverse("store:home"))

    assert response.status_code == 200
    assert [p.title for p in response.context["new_arrivals"]] == ["Trail runner"]
    assert [(c.name, [p.title for p in ps]) for c, ps in response.context["sections"]] == [
        ("Shoes", ["Trail runner"])
    ]
    assert "Hidden" not in response.content.decode()


def test_category_includes_subcategories_and_only_active_products(client):
    root = CategoryFactory()
    child = CategoryFactory(parent=root)
    grandchild = CategoryFactory(parent=child)
    ProductFactory(title="Root item", category=root)
    ProductFactory(title="Grandchild item", category=grandchild)
    ProductFactory(title="Inactive item", category=child, is_active=False)
    ProductFactory(title="Elsewhere")

    assert sorted(titles(listing(client, root))) == ["Grandchild item", "Root item"]
    assert titles(listing(client, child)) == ["Grandchild item"]


def test_price_range_filter(client):
    category = CategoryFactory()
    for price in ("5.00", "10.00", "20.00", "40.00"):
        ProductFactory(title=f"P{price}", price=Decimal(price), category=category)

    response = listing(client, category, min_price="10", max_price="20", sort="price_asc")

    assert titles(response) == ["P10.00", "P20.00"]


def test_brand_filter_accepts_several_brands(client):
    category = CategoryFactory()
    acme, globex, initech = BrandFactory(slug="acme"), BrandFactory(slug="globex"), BrandFactory()
    ProductFactory(title="A", brand=acme, category=category)
    ProductFactory(title="G", brand=globex, category=category)
    ProductFactory(title="I", brand=initech, category=category)

    response = client.get(
        reverse("store:category", args=[category.slug]) + "?brand=acme&brand=globex&sort=title"
    )

    assert titles(response) == ["A", "G"]
    assert 'value="acme"' in response.content.decode()  # offered as a checkbox


def test_in_stock_filter(client):
    category = CategoryFactory()
    ProductFactory(title="Available", stock=1, category=category)
    ProductFactory(title="Sold out", stock=0, category=category)

    assert titles(listing(client, category, in_stock="on")) == ["Available"]
    assert sorted(titles(listing(client, category))) == ["Available", "Sold out"]


def test_sort_orders(client):
    category = CategoryFactory()
    now = timezone.now()
    old = ProductFactory(title="Beta", price=Decimal("30"), category=category)
    new = ProductFactory(title="Alpha", price=Decimal("10"), category=category)
    mid = ProductFactory(title="Gamma", price=Decimal("20"), category=category)
    for product, age in ((old, 30), (new, 1), (mid, 10)):
        Product.objects.filter(pk=product.pk).update(created_at=now - timedelta(days=age))
    ReviewFactory(product=mid, rating=5)
    ReviewFactory(product=old, rating=2)

    assert titles(listing(client, category)) == ["Alpha", "Gamma", "Beta"]  # newest by default
    assert titles(listing(client, category, sort="price_asc")) == ["Alpha", "Gamma", "Beta"]
    assert titles(listing(client, category, sort="price_desc")) == ["Beta", "Gamma", "Alpha"]
    assert titles(listing(client, category, sort="title")) == ["Alpha", "Beta", "Gamma"]
    assert titles(listing(client, category, sort="rating")) == ["Gamma", "Beta", "Alpha"]


def test_pagination(client):
    category = CategoryFactory()
    ProductFactory.create_batch(30, category=category)

    first = listing(client, category)
    second = listing(client, category, page="2")

    assert len(titles(first)) == 24
    assert len(titles(second)) == 6
    assert not set(titles(first)) & set(titles(second))
    assert 'rel="next"' in first.content.decode()
    assert titles(listing(client, category, page="zzz")) == titles(first)
    assert titles(listing(client, category, page="999")) == titles(second)


def test_pagination_links_keep_the_filters(client):
    category = CategoryFactory()
    ProductFactory.create_batch(25, category=category, price=Decimal("5"))

    content = listing(client, category, max_price="9", sort="title").content.decode()

    assert re.search(r'href="\?max_price=9&amp;sort=title&amp;page=2"', content)


def test_bad_query_string_values_are_reported_gently(client):
    category = CategoryFactory()
    ProductFactory(title="Cheap", price=Decimal("1"), category=category)
    ProductFactory(title="Dear", price=Decimal("100"), category=category)

    response = listing(
        client, category, min_price="abc", max_price="50", sort="bogus", brand="nope", page="x"
    )

    assert response.status_code == 200
    assert titles(response) == ["Cheap"]  # max_price applied, the rest ignored
    assert "Some filters were not understood" in response.content.decode()


def test_min_price_above_max_price_is_reported(client):
    category = CategoryFactory()
    ProductFactory(category=category)

    response = listing(client, category, min_price="50", max_price="10")

    assert response.status_code == 200
    assert "The maximum price is below the minimum price." in response.content.decode()


@pytest.mark.parametrize("name", ["store:category", "store:product"])
def test_unknown_slug_is_a_404(client, name):
    response = client.get(reverse(name, args=["no-such-thing"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_inactive_product_is_a_404(client):
    product = ProductFactory(is_active=False)
    response = client.get(product.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_product_detail(client):
    product = ProductFactory(
        title="Trail runner",
        attributes={"colour": "red", "sizes": [41, 42], "waterproof": True},
    )
    ReviewFactory(product=product, rating=4, text="Comfy.")
    ReviewFactory(product=product, rating=5, text="Fast!")

    response = client.get(product.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["attributes"] == [
        ("Colour", "red"),
        ("Sizes", "41, 42"),
        ("Waterproof", "Yes"),
    ]
    assert '<th scope="row">Sizes</th><td>41, 42</td>' in content
    assert "Average 4.5 out of 5 from 2 reviews." in content
    assert "Comfy." in content and "Fast!" in content
    assert reverse("store:cart_add", args=[product.pk]) in content
    assert "Write a review" not in content  # anonymous visitors are invited to log in
    assert "to write a review" in content


def test_placeholder_image_when_no_image_url(client):
    plain = ProductFactory(image_url="")
    pictured = ProductFactory(image_url="https://img.example.com/p.jpg")
    image_url = reverse("store:product_image", args=[plain.slug])

    assert f'src="{image_url}"' in client.get(plain.get_absolute_url()).content.decode()
    assert (
        'src="https://img.example.com/p.jpg"'
        in client.get(pictured.get_absolute_url()).content.decode()
    )


def test_placeholder_image_is_served_with_caching_headers(client):
    product = ProductFactory(image_url="", category=CategoryFactory(name="tents", slug="tents"))
    url = reverse("store:product_image", args=[product.slug])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in response["Cache-Control"]
    assert response.content.decode() == placeholder_image_svg(product.category)
    # A browser revalidating its copy gets "not modified" and no body.
    again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get(reverse("store:product_image", args=["no-such-product"])).status_code == 404
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_placeholder_is_derived_from_the_category():
    tents = CategoryFactory(name="tents", slug="tents")
    boots = CategoryFactory(name="Boots", slug="boots")

    def hue(svg):
        return re.search(r"hsl\((\d+),", svg)[1]

    svg = placeholder_image_svg(tents)

    assert svg.startswith("<svg")
    assert ">T</text>" in svg
    assert svg == placeholder_image_svg(tents)
    assert hue(svg) != hue(placeholder_image_svg(boots))


def test_logged_in_user_writes_one_review(client):
    user = UserFactory()
    client.force_login(user)
    product = ProductFactory()
    url = reverse("store:review_add", args=[product.slug])
    assert "Write a review" in client.get(product.get_absolute_url()).content.decode()

    response = client.post(url, {"rating": "4", "text": "Solid."})

    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.user, review.product, review.rating, review.text) == (
        user,
        product,
        4,
        "Solid.",
    )
    again = client.post(url, {"rating": "1", "text": "Changed my mind."})
    assert again.status_code == 400
    assert "You have already reviewed this product." in again.content.decode()
    assert Review.objects.count() == 1


@pytest.mark.parametrize("data", [{"rating": "6", "text": "x"}, {"rating": "5", "text": ""}])
def test_invalid_review_is_a_form_error(client, data):
    client.force_login(UserFactory())
    product = ProductFactory()

    response = client.post(reverse("store:review_add", args=[product.slug]), data)

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Review.objects.exists()


def test_anonymous_review_redirects_to_login(client):
    product = ProductFactory()
    response = client.post(reverse("store:review_add", args=[product.slug]), {"rating": "5"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("store:login"))
    assert not Review.objects.exists()


def test_search_ranks_title_matches_above_description_matches(client):
    ProductFactory(title="Camping stove", description="Cooks anything outdoors.")
    ProductFactory(title="Compact burner", description="A lantern-sized camping companion.")
    ProductFactory(title="Camping lantern", description="Bright light for the camping trip.")
    ProductFactory(title="Desk lamp", description="For the office.")

    response = client.get(reverse("store:search"), {"q": "camping"})

    assert response.status_code == 200
    found = titles(response)
    assert set(found) == {"Camping stove", "Compact burner", "Camping lantern"}
    assert found[-1] == "Compact burner"  # only in the description
    assert found[0] == "Camping lantern"  # in title and description


def test_search_uses_websearch_syntax(client):
    ProductFactory(title="Red running shoes")
    ProductFactory(title="Running shorts, red")
    ProductFactory(title="Blue running shoes")

    def search(q):
        return sorted(titles(client.get(reverse("store:search"), {"q": q})))

    assert search('"red running"') == ["Red running shoes"]
    assert search("running -red") == ["Blue running shoes"]
    assert search("shorts or blue") == ["Blue running shoes", "Running shorts, red"]
    assert search("shoes") == ["Blue running shoes", "Red running shoes"]  # stemmed, any case


def test_search_hides_inactive_products_and_paginates(client):
    ProductFactory.create_batch(26, title="Lantern")
    ProductFactory(title="Lantern hidden", is_active=False)

    response = client.get(reverse("store:search"), {"q": "lantern", "page": "2"})

    assert response.context["page_obj"].paginator.count == 26
    assert len(titles(response)) == 2
    assert "Lantern hidden" not in titles(response)


def test_empty_search_shows_a_hint(client):
    ProductFactory(title="Anything")
    response = client.get(reverse("store:search"), {"q": "   "})
    assert response.status_code == 200
    assert "page_obj" not in response.context
    assert "exact phrase" in response.content.decode()


@pytest.mark.parametrize("query", ["a\x00b", "the", "'\"&|!:*()", "-", "x" * 5000])
def test_odd_search_input_never_fails(client, query):
    ProductFactory(title="Thing")
    response = client.get(reverse("store:search"), {"q": query, "page": "-1"})
    assert response.status_code == 200


def test_search_without_results(client):
    response = client.get(reverse("store:search"), {"q": "unobtainium"})
    assert response.status_code == 200
    assert "Nothing matches your search" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "slot"),
    [("store:home", "home"), ("store:product", "product"), ("store:cart", "cart")],
)
def test_each_page_has_one_recommendation_slot(client, url_name, slot):
    product = ProductFactory()
    url = product.get_absolute_url() if slot == "product" else reverse(url_name)

    content = client.get(url).content.decode()

    assert content.count('class="recommendations-slot"') == 1
    assert f'data-slot="{slot}"' in content


def test_the_api_gives_image_urls_not_inline_images(client):
    plain = ProductFactory(image_url="")
    pictured = ProductFactory(image_url="https://img.example.com/p.jpg")

    images = {
        product.pk: client.get(f"/api/products/{product.pk}/").json()["image"]
        for product in (plain, pictured)
    }

    assert images == {
        plain.pk: reverse("store:product_image", args=[plain.slug]),
        pictured.pk: "https://img.example.com/p.jpg",
    }


def test_the_header_categories_are_read_once_and_follow_every_change(
    client, django_assert_num_queries
):
    shoes = CategoryFactory(name="Shoes")
    CategoryFactory(name="Boots", parent=shoes)

    def header(response) -> list[str]:
        return [c.name for c in response.context["nav_categories"]]

    assert header(client.get(reverse("store:home"))) == ["Shoes"]
    with django_assert_num_queries(0):
        assert [c.name for c in nav_categories()] == ["Shoes"]
    tents = CategoryFactory(name="Tents")
    assert header(client.get(reverse("store:home"))) == ["Shoes", "Tents"]
    tents.name = "Camping"
    tents.save()
    assert header(client.get(reverse("store:home"))) == ["Camping", "Shoes"]
    tents.delete()
    assert header(client.get(reverse("store:home"))) == ["Shoes"]
