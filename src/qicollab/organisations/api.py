"""API routes for organisations and collaboratives (being built)."""

from ninja import Router

router = Router(tags=["organisations"])
