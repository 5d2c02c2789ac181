"""Discussion tests share the search engine set-up (the index follows project saves)."""

from tests.search.conftest import django_db_setup  # noqa: F401
