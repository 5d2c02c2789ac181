"""API for the national roll-up: the same figures, selector and permissions as the page.

``GET /api/national/{slug}/figures?quarter=2025-Q1&level=organisation``. National admins see
every collaborative of the programme; collaborative leads their own. A bad quarter is a 422
with the reason; a programme the caller has nothing to do with is a 404.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from qicollab.core.http import found
from qicollab.national import selectors
from qicollab.national.selectors import Row

router = Router(tags=["national roll-up"])


class FiguresRowOut(Schema):
    level: str
    name: str
    slug: str | None
    collaborative: str | None
    organisation_type: str | None
    figures: dict[str, int | None]


class RollupOut(Schema):
    programme: str
    quarter: str
    quarter_label: str
    start: str
    end: str
    training_recorded: bool
    training_categories: list[str]
    rows: list[FiguresRowOut]


def _row(level: str, row: Row) -> dict[str, Any]:
    if row.organisation is not None:
        slug: str | None = row.organisation.slug
    elif row.collaborative is not None:
        slug = row.collaborative.slug
    else:
        slug = None
    values = dict(row.values)
    if level == "organisation":
        values = {k: v for k, v in values.items() if not k.startswith("trained")}
    return {
        "level": level,
        "name": row.label,
        "slug": slug,
        "collaborative": row.collaborative.slug if row.collaborative else None,
        "organisation_type": row.org_type or None,
        "figures": values,
    }


@router.get("/{slug}/figures", response=RollupOut)
def figures(
    request: HttpRequest,
    slug: str,
    quarter: str = "",
    level: Literal["collaborative", "organisation"] = "collaborative",
) -> Any:
    """The programme's figures for a quarter (default: the latest complete one): the
    national total, each collaborative, and with ``level=organisation`` each member
    organisation too. ``null`` marks a figure not recorded at that level or not yet."""
    programme = found(selectors.programme_get(slug=slug))
    ids = selectors.rollup_collab_ids(viewer=request.user, programme=programme)
    if not ids:
        if selectors.knows_programme(viewer=request.user, programme=programme):
            raise PermissionDenied
        raise Http404
    try:
        q = selectors.parse_quarter(quarter)
    except selectors.BadPeriod as exc:
        raise ValidationError({"quarter": [str(exc)]}) from exc
    data = selectors.rollup(programme=programme, collab_ids=ids, quarter=q)
    rows = [_row("national", data.total)]
    for crow in data.collaboratives:
        rows.append(_row("collaborative", crow))
        if level == "organisation" and crow.collaborative is not None:
            rows += [_row("organisation", r) for r in data.organisations[crow.collaborative.pk]]
    return {
        "programme": programme.slug,
        "quarter": q.slug,
        "quarter_label": q.label,
        "start": q.start.isoformat(),
        "end": q.end.isoformat(),
        "training_recorded": data.training_categories is not None,
        "training_categories": data.training_categories or [],
        "rows": rows,
    }
