"""The result as a plain-text table for people and as JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .server import THREADS, WORKERS
from .under_load import SECONDS

UNDER_LOAD_NOTE = (
    f"{WORKERS} workers x {THREADS} threads, DEBUG off, each run {SECONDS:g} s "
    "from a Python load generator on the same cores"
)
RESULTS_DIR = Path(__file__).resolve().parent / "results"


# Column heading: key of the result row.
LATENCY_COLUMNS = {
    "endpoint": "endpoint",
    "layer": "layer",
    "queries": "queries",
    "p50": "p50_ms",
    "p95": "p95_ms",
    "p99": "p99_ms",
    "mean": "mean_ms",
    "results": "results",
    "SQL/call": "sql_queries",
    "x floor": "x_floor",
}
UNDER_LOAD_COLUMNS = {
    "endpoint": "endpoint",
    "concurrency": "concurrency",
    "requests": "requests",
    "req/s": "per_second",
    "p50": "p50_ms",
    "p99": "p99_ms",
    "errors": "errors",
    "floor req/s": "floor_per_second",
}
RECALL_COLUMNS = {
    "search": "search",
    "matches %": "matches_percent",
    "queries": "queries",
    "recall": "recall",
    "results": "results",
    "exact results": "exact_results",
    "HNSW used": "uses_hnsw",
}
GEOMETRY_COLUMNS = {
    "vectors": "vectors",
    "sampled": "sampled",
    "same category": "same_category",
    "other category": "other_category",
    "nearest": "nearest",
    "10th nearest": "tenth_nearest",
}
TARGET_COLUMNS = {
    "metric": "metric",
    "value": "value",
    "target": "target",
    "met": "met",
    "floor (same run)": "floor",
}


def columns_table(columns: dict[str, str], rows: Sequence[dict[str, Any]]) -> str:
    return table(list(columns), [[row[key] for key in columns.values()] for row in rows])


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Numbers right-aligned, text left-aligned, columns two spaces apart."""
    columns = list(zip(*rows, strict=True)) or [() for _ in headers]
    texts = [column_texts(column) for column in columns]
    right = [all(is_number(v) or v == "" for v in column) for column in columns]
    widths = [max([len(h), *map(len, cells)]) for h, cells in zip(headers, texts, strict=True)]

    def line(values: Sequence[str]) -> str:
        cells = zip(values, widths, right, strict=True)
        return "  ".join(v.rjust(w) if r else v.ljust(w) for v, w, r in cells).rstrip()

    body = [line(row) for row in zip(*texts, strict=True)]
    return "\n".join([line(headers), line(["-" * w for w in widths]), *body])


def column_texts(values: Sequence[Any]) -> list[str]:
    """The floats of a column get the decimals the most precise of them has, at most four."""
    floats = [v for v in values if isinstance(v, float)]
    decimals = max((len(repr(v).partition(".")[2]) for v in floats), default=0)
    return [cell_text(v, min(decimals, 4)) for v in values]


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell_text(value: Any, decimals: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.{decimals}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def report_text(results: dict[str, Any]) -> str:
    k, geometry = results["options"]["k"], results["vectors"]["geometry"]
    sections = [
        header_text(results),
        f"NOTE: {results['vectors']['method']}",
        f"NOTE: {results['sequential']['method']}",
        "NOTE: other work on this machine slows every figure; compare ratios measured in one "
        "run (each case runs its layers in random order) rather than times across runs.",
        *(
            [
                "Real and synthetic vectors: mean cosine similarity in equal random samples\n"
                + columns_table(GEOMETRY_COLUMNS, geometry)
            ]
            if geometry
            else []
        ),
        *([throughput_text(results)] if results["throughput"] else []),
        "Latency in ms; HTTP API = Django test Client in process (middleware, DRF, selector, "
        "serializers; no sockets); floor = a trivial DRF view through the same client\n"
        + columns_table(LATENCY_COLUMNS, results["latency"]),
        "Latency in ms on demo data (seed_demo's defaults, its shoppers' own histories, no "
        "trained model version; database bench_demo), logged-in shoppers\n"
        + columns_table(LATENCY_COLUMNS, results["demo_latency"]),
        f"Under load: gunicorn on loopback, {UNDER_LOAD_NOTE}; latency in ms\n"
        + columns_table(UNDER_LOAD_COLUMNS, results["under_load"]),
        *(
            [
                f"HNSW recall@{k} against exact search (same query, enable_indexscan = off)\n"
                + columns_table(RECALL_COLUMNS, results["recall"])
            ]
            if results["recall"]
            else []
        ),
        "Targets (--full adds embedding throughput and recall)\n"
        + columns_table(TARGET_COLUMNS, results["targets"]),
    ]
    return "\n\n".join(sections) + "\n"


def header_text(results: dict[str, Any]) -> str:
    options, env = results["options"], results["environment"]
    load = " / ".join(map(str, env["load_average"]))
    return (
        f"Recommendation engine benchmark: {options['products']:,} products, k={options['k']}, "
        f"{options['queries']} queries, {results['seconds']:.0f} s\n"
        f"{env['cpus']} CPUs ({env['torch_threads']} torch threads), load average {load} "
        f"(1/5/15 min, at the end); PostgreSQL {env['postgres']}, pgvector {env['pgvector']}, "
        f"database {env['database']!r}; ef_search={env['hnsw_ef_search']}, "
        f"iterative_scan={env['hnsw_iterative_scan']}"
    )


def throughput_text(results: dict[str, Any]) -> str:
    t = results["throughput"]
    rows = [
        ["pipeline: products_embed(force=True)", t["pipeline_seconds"], t["pipeline_per_second"]],
        ["  of which encoding", t["pipeline_encode_seconds"], ""],
        ["bare model: encoder.encode(texts)", t["bare_seconds"], t["bare_per_second"]],
    ]
    return (
        f"Embedding throughput: {t['products']:,} products in chunks of {t['chunk_size']}, "
        f"encoder batch {t['batch_size']}, model {results['environment']['encoder']}\n"
        + table(["path", "seconds", "products/s"], rows)
    )


def report_write(results: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / "latest.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path
