"""The two full-text engines behind one interface: match, rank and mark the words.

PostgreSQL: the weighted ``tsvector`` column (GIN index), ``plainto_tsquery`` per word (so
no character of the input is ever query syntax), ``ts_rank`` and ``ts_headline``.
SQLite: the FTS5 table ``search_fts`` (porter stemming), each word quoted as a phrase,
``bm25`` with the same weights (title 10, summary 4, details 1) and ``snippet``.

Both take words already reduced to letters and digits by ``search.text.terms_of``.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from django.db import connection
from django.db.models import F, FloatField, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from qicollab.search.models import SearchDocument
from qicollab.search.text import START, STOP

CONFIG = "english"
SNIPPET_WORDS = 24


def _pg_query(terms: list[str], *, any_term: bool) -> Any:
    from django.contrib.postgres.search import SearchQuery

    parts = [SearchQuery(t, config=CONFIG) for t in terms]
    return reduce((lambda a, b: a | b) if any_term else (lambda a, b: a & b), parts)


def _fts_match(terms: list[str], *, any_term: bool) -> str:
    # Each word is a quoted FTS5 string; terms hold letters and digits only, so no quote
    # can close it early.
    return (" OR " if any_term else " ").join(f'"{t}"' for t in terms)


def matching(
    qs: QuerySet[SearchDocument], terms: list[str], *, any_term: bool = False
) -> QuerySet[SearchDocument]:
    """``qs`` narrowed to documents matching ``terms`` (all, or any), annotated ``rank``
    (higher is better) and ordered by it."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        query = _pg_query(terms, any_term=any_term)
        return (
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title", "pk")
        )
    match = _fts_match(terms, any_term=any_term)
    table = SearchDocument._meta.db_table
    # RawSQL with bound parameters only: the match string is a parameter, the table names
    # are constants.
    return (
        qs.filter(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match]))
        .annotate(
            # bm25 is lower for a better match: negated, so both engines sort descending.
            rank=RawSQL(  # noqa: S611
                "(SELECT -bm25(search_fts, 10.0, 4.0, 1.0) FROM search_fts "  # noqa: S608
                f'WHERE search_fts MATCH %s AND search_fts.rowid = "{table}"."id")',
                [match],
                output_field=FloatField(),
            )
        )
        .order_by("-rank", "title", "pk")
    )


def snippets(ids: list[int], terms: list[str]) -> dict[int, str]:
    """A short extract of each document around the matching words, marked with
    ``START``/``STOP`` (one query for the page)."""
    if not ids or not terms:
        return {}
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchHeadline

        query = _pg_query(terms, any_term=True)
        rows = SearchDocument.objects.filter(pk__in=ids).annotate(
            headline=SearchHeadline(
                Concat(F("summary"), Value("\n"), F("details"), output_field=TextField()),
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS + 10,
                min_words=SNIPPET_WORDS - 10,
                fragment_delimiter=" … ",
                max_fragments=2,
            )
        )
        return dict(rows.values_list("pk", "headline"))
    match = _fts_match(terms, any_term=True)
    placeholders = ", ".join(["%s"] * len(ids))
    # The summary's extract if a word matched there, else the details' (a title is already
    # shown as the result's heading).
    with connection.cursor() as cur:
        cur.execute(
            "SELECT rowid, snippet(search_fts, 1, %s, %s, ' … ', %s), "  # noqa: S608
            "snippet(search_fts, 2, %s, %s, ' … ', %s) FROM search_fts "
            f"WHERE search_fts MATCH %s AND rowid IN ({placeholders})",
            [START, STOP, SNIPPET_WORDS, START, STOP, SNIPPET_WORDS, match, *ids],
        )
        return {
            int(pk): (
                summary if START in (summary or "") or START not in (details or "") else details
            )
            or ""
            for pk, summary, details in cur.fetchall()
        }
