"""API routes for people (being built)."""

from ninja import Router

router = Router(tags=["people"])
