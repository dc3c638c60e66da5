"""The sequence model's item vectors widen to 256, room for two networks' vectors side by side.
Stored vectors are zero-padded, which leaves every inner product, and so every score, as it was;
PostgreSQL rebuilds the HNSW index with the column."""

import pgvector.django.vector
from django.db import migrations

TABLE = "recommendations_sequentialitem"

WIDEN = f"""
ALTER TABLE {TABLE} ALTER COLUMN vector TYPE vector(256)
USING (vector::real[] || array_fill(0::real, ARRAY[256 - vector_dims(vector)]))::vector(256)
"""

# Back to 128 only where that loses nothing: a wider model's vectors would be cut, and its
# scores silently wrong.
NARROW = f"""
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM {TABLE}
        WHERE subvector(vector, 129, 128) <> array_fill(0::real, ARRAY[128])::vector
    ) THEN
        RAISE EXCEPTION 'sequence vectors wider than 128 are stored: delete those model '
            'versions before migrating back';
    END IF;
END $$;
ALTER TABLE {TABLE} ALTER COLUMN vector TYPE vector(128) USING subvector(vector, 1, 128)
"""


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0011_trigram")]

    operations = [
        migrations.RunSQL(
            WIDEN,
            NARROW,
            state_operations=[
                migrations.AlterField(
                    model_name="sequentialitem",
                    name="vector",
                    field=pgvector.django.vector.VectorField(dimensions=256),
                ),
            ],
        ),
    ]
