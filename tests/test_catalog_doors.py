"""One catalog importer behind two doors: the admin's CSV upload and `manage.py import_catalog`.

Both run the engine's import with the store's adapter, so one file must leave the same catalog
whichever door it comes through; the store's own columns and its rows without an external id
are the adapter's, and hold for both.
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from shop.store.models import Brand, Category, Product
from tests.factories import BrandFactory, CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

CATALOG = """\
external_id,title,slug,description,category,brand,price,currency,stock,attributes,image_url,is_active
T-1,Trail Tent,,"Two persons, light.",Outdoor > Tents,Nordwind,199.00,eur,4,"{""persons"": 2}",https://example.com/t.png,yes
T-2,Camp Stove,camp-stove-classic,,Outdoor > Cooking,,39.5,,,,,0
,Lamp,,Warm light.,Home > Lights,Lumo,12,,3,,,
,Desk Lamp,desk,,Home > Lights,Lumo,30,GBP,1,{},,true
OLD-1,Renamed,,,Outdoor,,5,,,,,
"""


def catalog_before_import() -> None:
    """The same starting catalog for each door: one product without an external id, named by
    the slug the title "Lamp" makes, and one with an external id."""
    home = CategoryFactory(name="Home", slug="home")
    ProductFactory(
        external_id=None, slug="lamp", title="Lamp", category=home, brand=None, price=Decimal(9)
    )
    ProductFactory(
        external_id="OLD-1",
        slug="old",
        title="Old",
        description="Kept",
        category=home,
        brand=BrandFactory(name="Kept brand", slug="kept-brand"),
    )


def catalog_state() -> dict:
    """Everything an import writes, keyed by what names it rather than by database ids."""
    products = Product.objects.select_related("brand", "category").order_by("slug")
    return {
        "products": [
            {
                "external_id": p.external_id,
                "title": p.title,
                "slug": p.slug,
                "description": p.description,
                "category": str(p.category),
                "brand": p.brand.name if p.brand else None,
                "price": p.price,
                "currency": p.currency,
                "stock": p.stock,
                "attributes": p.attributes,
                "image_url": p.image_url,
                "is_active": p.is_active,
            }
            for p in products
        ],
        "categories": sorted((str(c), c.slug) for c in Category.objects.all()),
        "brands": sorted(Brand.objects.values_list("name", "slug")),
    }


def catalog_clear() -> None:
    """A fresh catalog; categories leaves first, since a parent is protected."""
    Product.objects.all().delete()
    while Category.objects.exists():
        Category.objects.filter(children=None).delete()
    Brand.objects.all().delete()


def through_admin(client, content: str) -> None:
    upload = SimpleUploadedFile("catalog.csv", content.encode(), content_type="text/csv")
    response = client.post(reverse("admin:store_product_import_csv"), {"file": upload})
    assert response.status_code == 302, response.context["errors"]


def through_command(tmp_path, content: str, name: str = "catalog.csv") -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = StringIO()
    call_command("import_catalog", str(path), "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_one_file_leaves_the_same_catalog_through_either_door(admin_client, tmp_path):
    catalog_before_import()
    through_admin(admin_client, CATALOG)
    uploaded = catalog_state()
    catalog_clear()
    catalog_before_import()

    output = through_command(tmp_path, CATALOG)

    assert "5 row(s): 3 new, 2 updated" in output
    assert catalog_state() == uploaded
    by_slug = {product["slug"]: product for product in uploaded["products"]}
    assert set(by_slug) == {"trail-tent-t-1", "camp-stove-classic", "lamp", "desk", "old"}
    assert by_slug["lamp"]["price"] == Decimal("12.00") and by_slug["lamp"]["external_id"] is None
    assert (by_slug["camp-stove-classic"]["is_active"], by_slug["desk"]["currency"]) == (
        False,
        "GBP",
    )
    # Empty cells keep what the product has; only the cells given change it.
    old = by_slug["old"]
    assert (old["title"], old["description"], old["brand"], old["category"]) == (
        "Renamed",
        "Kept",
        "Kept brand",
        "Outdoor",
    )


def test_store_columns_come_through_json_lines_too(tmp_path):
    line = '{"external_id": "J-1", "title": "Mug", "slug": "mug", "is_active": false}\n'

    through_command(tmp_path, line, name="catalog.jsonl")

    mug = Product.objects.get(external_id="J-1")
    assert (mug.slug, mug.is_active) == ("mug", False)


def test_a_made_slug_avoids_one_the_file_gives_a_later_row(tmp_path):
    through_command(tmp_path, "external_id,title,slug\nA,Tent,\nB,Other,tent-a\n")

    assert dict(Product.objects.values_list("external_id", "slug")) == {
        "A": "tent-a-2",
        "B": "tent-a",
    }


def test_a_row_without_external_id_cannot_take_a_product_that_has_one(tmp_path):
    ProductFactory(external_id="L-1", slug="lamp", title="Lamp", price=Decimal("9.00"))

    with pytest.raises(CommandError) as caught:
        through_command(tmp_path, "title,price\nLamp,12\n")

    assert "Line 2: slug: “lamp” belongs to another product, “Lamp” (external_id “L-1”)." in str(
        caught.value
    )
    assert Product.objects.get().price == Decimal("9.00")


def test_a_slug_repeated_in_the_file_is_named(tmp_path):
    with pytest.raises(CommandError) as caught:
        through_command(tmp_path, "external_id,title,slug\nA,Tent,tent\n,Tent,\n")

    assert "Line 3: slug “tent” repeats line 2." in str(caught.value)
    assert not Product.objects.exists()


def test_a_row_without_external_id_or_a_title_to_make_a_slug_from_is_refused(tmp_path):
    with pytest.raises(CommandError) as caught:
        through_command(tmp_path, "title,price\n!!!,12\n")

    assert "Line 2: slug: cannot be made from the title; fill it in." in str(caught.value)
