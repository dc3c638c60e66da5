"""`python -m bench`: build or reuse the bench catalog, measure, print and save the table."""

from __future__ import annotations

import argparse
import os
import sys


def at_least(minimum: int):
    """An argparse type: an integer of at least `minimum`, with a message that says so."""

    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def parser_build() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark recommendation latency against the bare queries and a trivial "
        "view, SQL per product page and requests per second through gunicorn, on a separate "
        "database (SHOP_DB_NAME=bench); --full adds embedding throughput and HNSW recall. "
        "Progress goes to stderr, the table to stdout and bench/results/latest.json.",
    )
    parser.add_argument(
        "--products", type=at_least(1000), default=100_000, help="catalog size (default 100000)"
    )
    parser.add_argument(
        "--embed-sample",
        type=at_least(1),
        default=1000,
        help="products embedded by the real model, once per catalog; the rest get synthetic "
        "vectors derived from them (default 1000)",
    )
    parser.add_argument(
        "--queries",
        type=at_least(1),
        default=200,
        help="query products and shoppers for latency and recall (default 200)",
    )
    parser.add_argument("--k", type=at_least(1), default=10, help="results per query (default 10)")
    parser.add_argument(
        "--full",
        action="store_true",
        help="also the long phases: embedding throughput of the pipeline against the bare "
        "model on --throughput-sample products, and HNSW recall against exact search "
        "(the throughput phase alone takes about 15 minutes on 2 busy cores)",
    )
    parser.add_argument(
        "--throughput-sample",
        type=at_least(1),
        default=2000,
        help="products re-embedded for the throughput measurement of --full (default 2000)",
    )
    parser.add_argument(
        "--full-embed",
        action="store_true",
        help="embed every product with the real model instead of synthetic vectors "
        "(about 50 minutes per 100,000 products on 2 cores)",
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    return parser


def django_setup() -> None:
    # The shop's settings with the floor view's URL; inherited by the gunicorn it starts.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SHOP_DB_NAME", "bench")
    # The bench runs on its own machine and database, never serves anyone: a key of its own, and
    # plain http between the bench and its servers.
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-never-used-to-serve")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = parser_build()
    options = parser.parse_args(argv)
    if options.embed_sample > options.products:
        parser.error(f"--embed-sample ({options.embed_sample}) exceeds --products")
    if options.full and options.throughput_sample > options.products:
        parser.error(f"--throughput-sample ({options.throughput_sample}) exceeds --products")
    if options.queries > options.products // 2:
        parser.error(f"--queries ({options.queries}) must be at most half of --products")
    django_setup()

    from recommendations.conf import app_settings

    from .catalog import BenchError
    from .report import report_text, report_write
    from .run import bench_run

    if options.k > app_settings.MAX_K:
        parser.error(f"--k ({options.k}) exceeds the API's largest k, MAX_K={app_settings.MAX_K}")
    try:
        results = bench_run(options)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    print(report_text(results))
    print(f"Saved to {report_write(results)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
