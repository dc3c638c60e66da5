"""Typo tolerance: a word no product contains becomes the closest word of a product title
(PostgreSQL ``pg_trgm``), so "hikng jackte" searches for "hiking jacket"."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction

from ..conf import app_settings
from ..factories import get_adapter
from .fulltext import DOCUMENT, with_document

# Only words long enough to have a spelling: "tv" or "xl" are taken as typed.
CORRECTABLE = re.compile(r"[a-z]{4,}")
# The closest title word for each unknown word. `<%` (word similarity above the threshold set
# for the transaction) can use a trigram index on the title column.
CLOSEST_SQL = """
SELECT q.word, best.w
FROM unnest(%s::text[]) AS q(word)
CROSS JOIN LATERAL (
    SELECT w FROM (
        SELECT DISTINCT regexp_split_to_table(lower(t.{column}), '[^[:alpha:]]+') AS w
        FROM {table} AS t WHERE q.word <%% t.{column}
    ) AS words
    WHERE length(w) >= 3
    ORDER BY similarity(w, q.word) DESC, w
    LIMIT 1
) AS best
WHERE similarity(best.w, q.word) >= %s
"""


def typos_correct(text: str) -> str:
    """The text with each word that no product contains replaced by the closest title word."""
    unknown = [word for word in _candidates(text) if not _known(word)]
    if not unknown:
        return text
    corrections = _closest(unknown)
    if not corrections:
        return text
    return re.sub(
        r"[^\W\d_]+",
        lambda match: corrections.get(match.group(0).lower(), match.group(0)),
        text,
    )


def _candidates(text: str) -> list[str]:
    words = dict.fromkeys(CORRECTABLE.findall(text.lower()))
    return list(words)[: app_settings.SEARCH["TYPO_MAX_WORDS"]]


def _known(word: str) -> bool:
    """A stop word, or a word some product's document contains (stemmed)."""
    adapter = get_adapter()
    query = SearchQuery(word, search_type="plain", config=adapter.search_config)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(plainto_tsquery(%s::regconfig, %s)) = 0",
            [adapter.search_config, word],
        )
        if cursor.fetchone()[0]:
            return True
    return with_document(adapter.model._default_manager.all()).filter(**{DOCUMENT: query}).exists()


def _closest(words: list[str]) -> dict[str, str]:
    adapter = get_adapter()
    model = adapter.model
    quote = connection.ops.quote_name
    sql = CLOSEST_SQL.format(
        table=quote(model._meta.db_table),
        column=quote(model._meta.get_field(adapter.title_field).column),
    )
    settings = app_settings.SEARCH
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(settings["TYPO_WORD_SIMILARITY"])],
        )
        cursor.execute(sql, [words, settings["TYPO_SIMILARITY"]])
        return {word: closest for word, closest in cursor.fetchall() if closest != word}
