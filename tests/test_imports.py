"""The import_catalog and import_interactions commands: all rows or none, idempotent re-runs."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO
from textwrap import dedent

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import Interaction, ProductEmbedding
from shop.store.models import Brand, Category, Product
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def write(tmp_path):
    def write(name: str, content: str | bytes):
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(dedent(content).lstrip(), encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return write


def run(command: str, path, *args: str) -> str:
    out = StringIO()
    call_command(command, str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def failure(command: str, path, *args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(command, path, *args)
    return str(caught.value)


CATALOG_CSV = """\
    external_id,title,description,category,brand,price,currency,stock,attributes
    NP-1,Nail Polish,Glossy red.,Beauty > Makeup > Nails,Glossy,9.5,eur,3,"{""colour"": ""red""}"
    B-2,Plain Box,,,,,,,
"""


def test_catalog_csv_creates_products_category_levels_brands_and_slugs(write):
    output = run("import_catalog", write("catalog.csv", CATALOG_CSV))

    assert "2 row(s): 2 new, 0 updated, 0 unchanged" in output
    polish = Product.objects.get(external_id="NP-1")
    assert polish.slug == "nail-polish-np-1"
    assert (polish.price, polish.currency, polish.stock) == (Decimal("9.50"), "EUR", 3)
    assert polish.attributes == {"colour": "red"}
    assert [c.name for c in polish.category.ancestors_and_self()] == ["Beauty", "Makeup", "Nails"]
    assert polish.brand.name == "Glossy" and polish.brand.slug == "glossy"
    box = Product.objects.get(external_id="B-2")
    assert box.category.name == "Uncategorised" and box.category.parent is None
    assert (box.price, box.brand, box.description) == (Decimal("0.00"), None, "")
    assert ProductEmbedding.objects.filter(stale=True).count() == 2


def test_catalog_jsonl_with_numbers_and_objects(write):
    lines = [
        {"external_id": 7, "title": "Tent", "price": 19.99, "stock": 2, "category": "Outdoor"},
        {"external_id": "8", "title": "Mat", "attributes": {"use": "camping"}, "brand": None},
    ]
    path = write("catalog.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")

    assert "2 new" in run("import_catalog", path)
    tent = Product.objects.get(external_id="7")
    assert (tent.price, tent.stock, tent.category.name) == (Decimal("19.99"), 2, "Outdoor")
    assert Product.objects.get(external_id="8").attributes == {"use": "camping"}


def test_catalog_format_option_overrides_the_extension(write):
    path = write("catalog.txt", '{"external_id": "x", "title": "X"}\n')

    assert "Nothing imported" in failure("import_catalog", path)
    assert "1 new" in run("import_catalog", path, "--format", "jsonl")


def test_catalog_updates_by_external_id_and_keeps_what_the_file_leaves_out(write):
    nails = CategoryFactory(name="Nails")
    product = ProductFactory(external_id="NP-1", slug="old-slug", price=Decimal("4.00"))
    path = write(
        "catalog.csv",
        """\
        external_id,title,category
        NP-1,Nail Polish Deluxe,
        """,
    )

    output = run("import_catalog", path)

    assert "1 row(s): 0 new, 1 updated" in output
    product.refresh_from_db()
    assert product.title == "Nail Polish Deluxe"
    assert (product.slug, product.price) == ("old-slug", Decimal("4.00"))
    assert product.category != nails and Product.objects.count() == 1


def test_catalog_rerun_changes_nothing(write):
    path = write("catalog.csv", CATALOG_CSV)
    run("import_catalog", path)
    stamps = dict(Product.objects.values_list("external_id", "updated_at"))

    output = run("import_catalog", path)

    assert "2 row(s): 0 new, 0 updated, 2 unchanged" in output
    assert dict(Product.objects.values_list("external_id", "updated_at")) == stamps
    assert (Category.objects.count(), Brand.objects.count()) == (4, 1)


def test_catalog_reuses_existing_categories_and_brands(write):
    beauty = CategoryFactory(name="Beauty", slug="beauty")
    path = write(
        "catalog.csv",
        """\
        external_id,title,category,brand
        A,Lipstick,Beauty > Lips,Glossy
        B,Lip Liner,Beauty > Lips,Glossy
        """,
    )

    run("import_catalog", path)

    lips = Category.objects.get(name="Lips")
    assert lips.parent == beauty
    assert Category.objects.count() == 2 and Brand.objects.count() == 1


def test_catalog_slugs_are_unique_and_fit(write):
    ProductFactory(slug="tent-a")
    long_title, long_id = "Very long title " * 15, "L" * 60
    path = write(
        "catalog.csv",
        f"""\
        external_id,title
        A,Tent
        a,Tent
        {long_id},{long_title}
        """,
    )

    run("import_catalog", path)

    slugs = dict(Product.objects.exclude(slug="tent-a").values_list("external_id", "slug"))
    assert slugs["A"] == "tent-a-2" and slugs["a"] == "tent-a-3"
    assert len(slugs[long_id]) == 280 and slugs[long_id].endswith("-t-" + long_id.lower())


def test_catalog_bad_rows_are_reported_by_line_and_nothing_is_saved(write):
    product = ProductFactory(external_id="OK", title="Original", price=Decimal("5.00"))
    categories = Category.objects.count()
    path = write(
        "catalog.csv",
        """\
        external_id,title,price,attributes,currency
        OK,Changed,6.00,,
        NT,,1.00,,
        BP,Bad price,abc,,
        BJ,Bad JSON,1,{not json},
        OK,Again,1,,
        BC,Bad currency,1,,XYZ
        NC,Negative,-1,[1],
        """,
    )

    message = failure("import_catalog", path)

    assert "Nothing imported: 6 error(s)" in message
    assert "Line 3: title: required." in message
    assert "Line 4: price: “abc” value must be a decimal number." in message
    assert "Line 5: attributes: not valid JSON" in message
    assert "Line 6: external_id “OK” repeats line 2." in message
    assert "Line 7: currency:" in message
    assert (
        "Line 8: price: Ensure this value is greater than or equal to 0.00.; attributes: must"
        in (message)
    )
    product.refresh_from_db()
    assert (product.title, product.price) == ("Original", Decimal("5.00"))
    assert Product.objects.count() == 1 and Category.objects.count() == categories


def test_catalog_unknown_column_is_named(write):
    path = write("catalog.csv", "external_id,title,colour,size\nA,Tent,red,L\n")

    message = failure("import_catalog", path)

    assert "Line 1: header: unknown column(s): colour, size" in message
    assert not Product.objects.exists()


def test_catalog_missing_required_column(write):
    message = failure("import_catalog", write("catalog.csv", "external_id,price\nA,1\n"))

    assert "missing required column(s): title" in message


def test_catalog_jsonl_problems_by_line(write):
    path = write(
        "catalog.jsonl",
        '{"external_id": "A", "title": "Tent"}\n\n[1, 2]\n{"external_id": "B", "colour": "red"}\n'
        '{"external_id": "C",\n',
    )

    message = failure("import_catalog", path)

    assert "Line 3: each line must be a JSON object." in message
    assert "Line 4: unknown field(s): colour" in message
    assert "Line 5: not valid JSON" in message
    assert not Product.objects.exists()


def test_errors_beyond_fifty_are_counted(write):
    path = write("catalog.csv", "external_id,title\n" + "x,\n" * 60)

    message = failure("import_catalog", path)

    assert "Nothing imported: 60 error(s)" in message
    assert "Line 51: title: required." in message and "Line 52:" not in message
    assert "… and 10 more." in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("external_id,title\nA,Café\n".encode("latin-1"), "Line 2: not UTF-8 text (byte 0xe9)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("external_id,title\nA,B\n".encode("utf-16"), "UTF-16"),
        (b"", "the file is empty"),
        (b'external_id,title\nA,"unclosed\n', "Line 2: not readable as CSV"),
    ],
)
def test_broken_files_are_clear_errors(write, content, expected):
    assert expected in failure("import_catalog", write("catalog.csv", content))
    assert not Product.objects.exists()


def test_utf8_bom_is_ignored(write):
    path = write("catalog.csv", "\ufeffexternal_id,title\nA,Tent\n".encode())

    assert "1 new" in run("import_catalog", path)


def test_missing_file_and_unknown_extension(tmp_path, write):
    assert "cannot open" in failure("import_catalog", tmp_path / "nope.csv")
    assert "cannot tell the format" in failure("import_catalog", write("catalog.xlsx", "x"))


@pytest.fixture
def products():
    return {ext: ProductFactory(external_id=ext) for ext in ("p1", "p2")}


INTERACTIONS_CSV = """\
    user,item,timestamp,event,value
    u1,p1,2024-05-01T10:00:00Z,view,
    u1,p1,2024-05-01T12:00:00+02:00,click,
    u1,p2,2024-05-01 10:30:00,cart,
    u2,p2,1714557600,purchase,
    u2,p1,1714557600.5,rating,4
"""


def test_interactions_load_with_iso_and_unix_timestamps(write, products):
    output = run("import_interactions", write("events.csv", INTERACTIONS_CSV), "--no-refresh")

    assert "5 row(s): 5 new" in output and "queued" not in output
    loaded = {
        (i.shopper, i.product_id, i.kind): i
        for i in Interaction.objects.filter(source=Interaction.Source.IMPORT)
    }
    p1, p2 = products["p1"].pk, products["p2"].pk
    assert loaded[("x:u1", p1, "view")].created_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert loaded[("x:u1", p1, "click")].created_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert loaded[("x:u1", p2, "cart")].created_at == datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    assert loaded[("x:u2", p2, "purchase")].created_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
    rating = loaded[("x:u2", p1, "review")]
    assert rating.value == 4.0 and rating.weight == 4.0
    assert rating.created_at == datetime(2024, 5, 1, 10, 0, 0, 500000, tzinfo=UTC)


def test_interactions_rerun_adds_nothing(write, products):
    path = write("events.csv", INTERACTIONS_CSV)
    run("import_interactions", path, "--no-refresh")

    output = run("import_interactions", path)

    assert "5 row(s): 0 new, 0 updated, 5 unchanged" in output
    assert "Vector update queued for 2 shopper(s)." in output
    assert Interaction.objects.count() == 5


def test_interactions_jsonl(write, products):
    path = write(
        "events.jsonl",
        '{"user": 42, "item": "p1", "timestamp": 1714557600, "event": "rating", "value": 5}\n',
    )

    assert "1 new" in run("import_interactions", path, "--no-refresh")
    assert Interaction.objects.get().shopper == "x:42"


def test_interactions_bad_rows_are_reported_by_line_and_nothing_is_saved(write, products):
    path = write(
        "events.csv",
        """\
        user,item,timestamp,event,value
        u1,p1,2024-05-01T10:00:00Z,view,
        u1,nope,2024-05-01T10:00:00Z,view,
        u1,p1,yesterday,view,
        u1,p1,1714557600000000,view,
        u1,p1,2024-05-01T10:00:00Z,like,
        u1,p1,2024-05-01T10:00:00Z,rating,
        u1,p1,2024-05-01T10:00:00Z,rating,7
        u1,p1,2024-05-01T10:00:00Z,view,lots
        ,p1,2024-05-01T10:00:00Z,view,
        """,
    )

    message = failure("import_interactions", path)

    assert "Nothing imported: 8 error(s)" in message
    assert "Line 3: item: no product has the external id “nope”." in message
    assert "Line 4: timestamp: “yesterday” is neither ISO 8601 nor Unix seconds." in message
    assert "Line 5: timestamp: “1714557600000000” is out of range for Unix seconds." in message
    assert "Line 6: event: “like” is not one of view, click, cart, purchase, rating." in message
    assert "Line 7: value: a rating needs a value from 1 to 5." in message
    assert "Line 8: value: a rating must be from 1 to 5." in message
    assert "Line 9: value: “lots” is not a number." in message
    assert "Line 10: user: required." in message
    assert not Interaction.objects.exists()


def test_interactions_not_utf8(write, products):
    path = write("events.csv", "user,item,timestamp,event\nJosé,p1,1,view\n".encode("latin-1"))

    assert "Line 2: not UTF-8 text" in failure("import_interactions", path)


def test_interactions_wrong_header(write, products):
    message = failure("import_interactions", write("events.csv", "customer,product\nu1,p1\n"))

    assert "unknown column(s): customer, product" in message
    assert "missing required column(s): user, item, timestamp, event" in message
