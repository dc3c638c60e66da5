"""Import files built to break the reader: each is a clear command-line error and saves nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import Interaction
from tests.engine.factories import ProductFactory
from tests.engine.testapp.models import Product

pytestmark = pytest.mark.django_db

CATALOG_HEADER = "external_id,title,description,price\n"
INTERACTIONS_HEADER = "user,item,timestamp,event\n"


def failure(command: str, path) -> str:
    with pytest.raises(CommandError) as caught:
        call_command(command, str(path), "--no-progress", stdout=StringIO())
    return str(caught.value)


@pytest.fixture
def product():
    return ProductFactory(external_id="p1")


def test_nul_byte_after_the_first_8_kb_of_a_catalog(tmp_path):
    rows = "".join(f"A{n},Tent {n},Light and dry.,10\n" for n in range(400))
    path = tmp_path / "catalog.csv"
    path.write_bytes((CATALOG_HEADER + rows).encode() + b"B1,Bad\x00Tent,,10\n")
    assert len(CATALOG_HEADER + rows) > 8192

    message = failure("import_catalog", path)

    assert "Line 402: contains a NUL byte" in message
    assert not Product.objects.exists()


def test_nul_byte_after_the_first_8_kb_of_interactions(tmp_path, product):
    rows = "".join(f"u{n},p1,2024-05-01T10:00:00Z,view\n" for n in range(300))
    path = tmp_path / "events.csv"
    path.write_bytes((INTERACTIONS_HEADER + rows).encode() + b"u\x00x,p1,2024-05-01,view\n")
    assert len(INTERACTIONS_HEADER + rows) > 8192

    assert "Line 302: contains a NUL byte" in failure("import_interactions", path)
    assert not Interaction.objects.exists()


def test_escaped_nul_in_a_json_line(tmp_path, product):
    path = tmp_path / "catalog.jsonl"
    path.write_text(
        json.dumps({"external_id": "A", "title": "Tent"})
        + "\n"
        + json.dumps({"external_id": "B", "title": "Bad\x00Tent"})
        + "\n"
    )

    assert "Line 2: contains a NUL character" in failure("import_catalog", path)
    assert Product.objects.count() == 1  # only the fixture's


def test_a_json_line_nested_100000_deep(tmp_path):
    path = tmp_path / "catalog.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(
        json.dumps({"external_id": "A", "title": "Tent"})
        + "\n"
        + '{"external_id": "B", "title": "Tent", "attributes": '
        + deep
        + "}\n"
    )

    assert "Line 2: nested more than 32 levels deep." in failure("import_catalog", path)
    assert not Product.objects.exists()


def test_attributes_nested_too_deep_in_a_csv_cell(tmp_path):
    path = tmp_path / "catalog.csv"
    deep = '{""a"": ' * 5000 + "1" + "}" * 5000
    path.write_text(f'external_id,title,attributes\nA,Tent,"{deep}"\n')

    assert "nested more than 32 levels deep." in failure("import_catalog", path)
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("timestamp", "expected"),
    [
        ("2999-01-01T00:00:00Z", "is in the future"),
        ("32503680000", "is in the future"),  # 3000-01-01 in Unix seconds
        ("1700000000000", "is out of range for Unix seconds"),  # milliseconds
        ("0", "is before 1995-01-01"),
        ("1066-10-14", "is before 1995-01-01"),
    ],
)
def test_timestamps_out_of_range_are_rejected(tmp_path, product, timestamp, expected):
    path = tmp_path / "events.csv"
    path.write_text(
        f"{INTERACTIONS_HEADER}u1,p1,2024-05-01T10:00:00Z,view\nu2,p1,{timestamp},view\n"
    )

    assert f"Line 3: timestamp: “{timestamp}” {expected}" in failure("import_interactions", path)
    assert not Interaction.objects.exists()
