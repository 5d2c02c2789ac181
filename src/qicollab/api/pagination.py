"""Page-number pagination for every list in the API, with bounds the database can hold."""

# No "from __future__ import annotations": ninja reads the Input schema at import time.

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

#: Far beyond any real list, and small enough that the row offset fits in 64 bits.
MAX_PAGE = 10**9
MAX_PAGE_SIZE = 10**6


class Pages(PageNumberPagination):
    """``?page=`` and ``?page_size=`` as in ninja, refusing numbers no list could reach
    (a page of 2^70 made the database's OFFSET overflow)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
