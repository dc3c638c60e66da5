"""Catalog admin: CSV import and export of products, the admin pages, actions and list editing."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from shop.store import product_csv
from shop.store.models import Brand, Category, Product
from shop.store.product_csv import COLUMNS, RowError, export_products_csv, import_products_csv
from tests.factories import (
    CategoryFactory,
    OrderLineFactory,
    ProductFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def product_state(product: Product) -> dict:
    product.refresh_from_db()
    return {
        name: getattr(product, name)
        for name in (*COLUMNS, "updated_at")
        if name not in ("category", "brand")
    } | {"category": str(product.category), "brand": str(product.brand)}


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_import_creates_products_with_category_paths_and_brands():
    result = import_products_csv(
        csv_file(
            "external_id,title,category,brand,price,stock,attributes,is_active\n"
            'T-1,Trail Tent,Outdoor > Tents,Nordwind,199.00,4,"{""persons"": 2}",yes\n'
            "T-2,Camp Stove,Outdoor > Cooking,,39.5,,,0\n"
        )
    )

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    tent = Product.objects.get(external_id="T-1")
    assert str(tent.category) == "Outdoor > Tents"
    assert tent.brand.name == "Nordwind"
    assert (tent.price, tent.stock, tent.attributes) == (Decimal("199.00"), 4, {"persons": 2})
    assert tent.slug == "trail-tent-t-1"
    stove = Product.objects.get(external_id="T-2")
    assert (stove.brand, stove.stock, stove.currency, stove.is_active) == (None, 0, "EUR", False)
    assert Category.objects.filter(name="Outdoor", parent=None).count() == 1


def test_import_updates_by_external_id_and_by_slug():
    by_id = ProductFactory(external_id="A-1", title="Old title", slug="kept-slug", stock=1)
    by_slug = ProductFactory(slug="lamp", price=Decimal("5.00"), description="Kept")
    untouched = ProductFactory(external_id="A-3")
    before = product_state(untouched)

    result = import_products_csv(
        csv_file(
            "\ufeffexternal_id,slug,title,category,price,stock\n"
            "A-1,,New title,Home,12.00,7\n"
            ",lamp,Lamp,Home > Lights,6.50,3\n"
            "A-2,,Brand new,Home,1.00,1\n"
        )
    )

    assert result.errors == []
    assert (result.created, result.updated) == (1, 2)
    by_id.refresh_from_db()
    assert (by_id.title, by_id.slug, by_id.stock) == ("New title", "kept-slug", 7)
    by_slug.refresh_from_db()
    assert (by_slug.price, str(by_slug.category), by_slug.description) == (
        Decimal("6.50"),
        "Home > Lights",
        "Kept",
    )
    assert product_state(untouched) == before


def test_import_makes_generated_slugs_unique():
    ProductFactory(slug="tent-new", external_id="OLD")

    result = import_products_csv(csv_file("external_id,title,category,price\nNEW,Tent,Camp,9\n"))

    assert result.ok
    assert Product.objects.get(external_id="NEW").slug == "tent-new-2"


def test_import_reports_every_bad_row_and_saves_nothing():
    existing = ProductFactory(external_id="E-1", price=Decimal("10.00"))
    before = product_state(existing)
    categories, brands = Category.objects.count(), Brand.objects.count()

    result = import_products_csv(
        csv_file(
            "external_id,title,category,brand,price,currency,stock,attributes,is_active\n"
            "E-1,Fine row,New > Path,New brand,11.00,EUR,1,{},1\n"
            "E-2,Bad price,Cat,,abc,EUR,1,{},1\n"
            "E-3,Negative stock,Cat,,1.00,EUR,-1,{},1\n"
            "E-4,,Cat,,1.00,EUR,1,{},1\n"
            'E-5,Bad JSON,Cat,,1.00,EUR,1,"{""a"": ",1\n'
            "E-6,List JSON,Cat,,1.00,EUR,1,[1],1\n"
            "E-7,Bad currency,Cat,,1.00,XYZ,1,{},maybe\n"
            "E-8,Short row,Cat\n"
            "\n"
            '"E-9","Multi\nline",Cat,,1.001,EUR,1.5,{},1\n'
            "E-1,Repeated id,Cat,,1.00,EUR,1,{},1\n"
        )
    )

    assert not result.ok
    by_line = {(error.line, error.message.split(":")[0]) for error in result.errors}
    assert by_line == {
        (3, "price"),
        (4, "stock"),
        (5, "title"),
        (6, "attributes"),
        (7, "attributes"),
        (8, "currency"),
        (8, "is_active"),
        (9, "3 fields, but the header has 9."),
        (11, "price"),
        (11, "stock"),
        (13, "external_id “E-1” repeats line 2."),
    }
    assert RowError(5, "title: required.") in result.errors
    assert Product.objects.count() == 1
    assert product_state(existing) == before
    assert (Category.objects.count(), Brand.objects.count()) == (categories, brands)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"title,category,price,colour\nA,B,1,red\n", "Line 1: header: unknown column(s): colour"),
        (b"title,category\nA,B\n", "Line 1: header: missing required column(s): price"),
        (b"title,category,price\nA,B,1\nCaf\xe9,B,1\n", "Line 3: not UTF-8 text"),
        (b"title,category,price,\nA,B,1,\n", "Line 1: header: unnamed column(s) at position(s): 4"),
        (b"", "Line 1: the file is empty."),
        (b"slug,category,price\na,B,1\n", "Line 1: header: missing required column(s): title"),
    ],
)
def test_import_rejects_bad_files(content, error):
    result = import_products_csv(io.BytesIO(content))

    assert str(result.errors[0]).startswith(error)
    assert not Product.objects.exists()


def test_import_refuses_files_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(product_csv, "MAX_FILE_BYTES", 30)

    result = import_products_csv(csv_file("title,category,price\n" + "Tent,Camp,1\n" * 5))

    assert [error.line for error in result.errors] == [1]
    assert result.errors[0].message.startswith("The file is larger than")


def test_import_refuses_a_slug_of_another_product():
    ProductFactory(slug="taken", external_id="OWNER")

    result = import_products_csv(
        csv_file("external_id,slug,title,category,price\nOTHER,taken,T,C,1\n")
    )

    assert [error.line for error in result.errors] == [2]
    assert "belongs to another product" in result.errors[0].message
    assert not Product.objects.filter(external_id="OTHER").exists()


def test_export_then_import_changes_nothing():
    outdoor = CategoryFactory(name="Outdoor")
    tents = CategoryFactory(name="Tents", parent=outdoor)
    ProductFactory(
        external_id="X-1",
        category=tents,
        title='Tent "Ultra", 2p',
        description="Line one,\nline two  ",
        attributes={"colour": "grün", "sizes": [1, 2]},
        image_url="https://example.com/t.png",
        is_active=False,
        currency="GBP",
    )
    ProductFactory(external_id=None, brand=None, stock=0, price=Decimal("0.00"))
    products = list(Product.objects.all())
    before = [product_state(product) for product in products]

    exported = "".join(export_products_csv(Product.objects.all()))
    result = import_products_csv(csv_file(exported))

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert [product_state(product) for product in products] == before
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[1]["category"] == "Outdoor > Tents"
    assert rows[1]["attributes"] == '{"colour": "grün", "sizes": [1, 2]}'


@pytest.mark.parametrize(
    "name",
    [
        "store_product_changelist",
        "store_product_add",
        "store_product_import_csv",
        "store_category_changelist",
        "store_category_add",
        "store_brand_changelist",
        "store_review_changelist",
        "store_order_changelist",
    ],
)
def test_admin_pages_load(superuser_client, name):
    ProductFactory(category=CategoryFactory(parent=CategoryFactory()))
    ReviewFactory()
    OrderLineFactory()

    response = superuser_client.get(reverse(f"admin:{name}"))

    assert response.status_code == 200


def test_changelist_filters_search_and_buttons(superuser_client):
    root = CategoryFactory(name="Outdoor")
    ProductFactory(title="Tent", category=CategoryFactory(parent=root), stock=3)
    ProductFactory(title="Kettle", stock=0)
    url = reverse("admin:store_product_changelist")

    response = superuser_client.get(url, {"category_tree": root.pk, "in_stock": "yes", "q": "tent"})

    assert [p.title for p in response.context["cl"].result_list] == ["Tent"]
    assert reverse("admin:store_product_import_csv") in response.content.decode()
    assert reverse("admin:store_product_export_csv") in response.content.decode()


def test_order_page_shows_read_only_lines(superuser_client):
    line = OrderLineFactory(title="Trail tent", quantity=2)

    response = superuser_client.get(reverse("admin:store_order_change", args=[line.order.pk]))

    assert response.status_code == 200
    assert "Trail tent" in response.content.decode()
    assert 'name="lines-0-quantity"' not in response.content.decode()


def test_bulk_activate_and_deactivate(superuser_client):
    products = ProductFactory.create_batch(3, is_active=False)
    url = reverse("admin:store_product_changelist")
    selected = [p.pk for p in products[:2]]

    response = superuser_client.post(
        url, {"action": "activate", "_selected_action": selected}, follow=True
    )

    assert "2 products were activated." in response.content.decode()
    assert set(Product.objects.filter(is_active=True).values_list("pk", flat=True)) == set(selected)

    response = superuser_client.post(
        url, {"action": "deactivate", "_selected_action": [p.pk for p in products]}, follow=True
    )

    assert "2 products were deactivated." in response.content.decode()
    assert not Product.objects.filter(is_active=True).exists()


def test_list_editable_saves_price_and_stock(superuser_client):
    product = ProductFactory(price=Decimal("10.00"), stock=1)

    response = superuser_client.post(
        reverse("admin:store_product_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": product.pk,
            "form-0-price": "12.50",
            "form-0-stock": "8",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.price, product.stock) == (Decimal("12.50"), 8)


def test_export_action_streams_the_selected_products(superuser_client):
    chosen, _ = ProductFactory(title="Chosen"), ProductFactory(title="Other")

    response = superuser_client.post(
        reverse("admin:store_product_changelist"),
        {"action": "export_selected_csv", "_selected_action": [chosen.pk]},
    )

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title"] for row in rows] == ["Chosen"]


def test_export_button_keeps_the_changelist_filters(superuser_client):
    ProductFactory(title="Active")
    ProductFactory(title="Hidden", is_active=False)

    response = superuser_client.get(
        reverse("admin:store_product_export_csv"), {"is_active__exact": "1", "p": "1"}
    )

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title"] for row in rows] == ["Active"]


def test_import_view_saves_and_reports_counts(superuser_client):
    upload = csv_file("title,category,price\nTent,Outdoor > Tents,99\n")
    upload.name = "products.csv"

    response = superuser_client.post(
        reverse("admin:store_product_import_csv"), {"file": upload}, follow=True
    )

    assert "Created 1, updated 0, 0 unchanged." in response.content.decode()
    assert Product.objects.filter(title="Tent").exists()


def test_import_view_lists_at_most_fifty_errors(superuser_client):
    upload = csv_file("title,category,price\n" + "Tent,Camp,free\n" * 60)
    upload.name = "products.csv"

    response = superuser_client.post(reverse("admin:store_product_import_csv"), {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 51: price" in page
    assert "Line 52: price" not in page
    assert "and 10 more" in page
    assert not Product.objects.exists()


def test_import_needs_add_and_change_permission(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:store_product_import_csv"))

    assert response.status_code == 403
