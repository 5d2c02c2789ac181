"""The full-text engine for the database in use: a GIN index on PostgreSQL, an FTS5 table
on SQLite. Each branch runs only on its own database (``connection.vendor``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

PG_INDEX = "search_document_vector_gin"


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} "
            "ON search_searchdocument USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        # The words of each document, keyed by its id (rowid); porter stems English words
        # so "falls" finds "fall"; unicode61 folds case and accents.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "title, summary, details, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
