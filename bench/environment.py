"""What the numbers were measured on: machine, database versions and the engine's settings."""

from __future__ import annotations

import os
from typing import Any

from django.db import connection

from recommendations.conf import app_settings
from recommendations.factories import get_encoder


def environment_describe() -> dict[str, Any]:
    import torch

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'),"
            " (SELECT extversion FROM pg_extension WHERE extname = 'vector')"
        )
        postgres, pgvector = cursor.fetchone()
    return {
        "cpus": os.cpu_count(),
        # Other work on the machine slows every measurement; 15 minutes spans most of a run.
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "torch_threads": torch.get_num_threads(),
        "postgres": postgres,
        "pgvector": pgvector,
        "database": connection.settings_dict["NAME"],
        "encoder": get_encoder().name,
        "embed_chunk_size": app_settings.EMBED_CHUNK_SIZE,
        "encoder_batch_size": app_settings.ENCODER_OPTIONS.get("batch_size"),
        "hnsw_ef_search": app_settings.HNSW_EF_SEARCH,
        "hnsw_iterative_scan": app_settings.HNSW_ITERATIVE_SCAN,
        "hnsw_max_scan_tuples": app_settings.HNSW_MAX_SCAN_TUPLES,
    }
