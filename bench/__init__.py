"""Benchmark of the recommendation engine: `python -m bench --help` (or `make bench`).

It runs against its own database (``SHOP_DB_NAME=bench``), never the development data, and
writes the result table to ``bench/results/latest.json``.
"""
