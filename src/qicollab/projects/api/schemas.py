"""Request and response shapes of the projects API."""

# No "from __future__ import annotations": ninja and pydantic read these at import time.

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from qicollab.api.schemas import InputSchema, PatchSchema
from qicollab.core.services import version_token

#: Request bodies refuse unknown fields, check types strictly and trim text (see InputSchema).
In = InputSchema

VERSION_IN = (
    "The `version` you read (or send it as an If-Match header). Required when changing a "
    "record: without it the answer is 428; if the record changed since, 409."
)


class Ref(Schema):
    slug: str
    name: str


class ProjectOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    status: str
    stop_reason: str
    sharing: str
    collaborative: Ref
    lead_organisation: Ref
    partner_organisations: list[Ref]
    workstream: Ref | None
    themes: list[Ref]
    tags: list[str]
    start_date: dt.date | None
    end_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: str = Field(
        description="Send back as `version` when changing it, to detect concurrent edits."
    )
    url: str

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_version(obj: Any) -> str:
        return version_token(obj)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class ProjectCreateIn(In):
    title: str
    collaborative: str = Field(description="The collaborative's slug.")
    lead_organisation: str = Field(description="The lead organisation's slug.")
    workstream: str | None = Field(None, description="A workstream slug of that collaborative.")
    sharing: Literal["private", "organisation", "collaborative", "public"] = "private"
    summary: str = ""


class ProjectPatchIn(PatchSchema):
    """Send only the fields to change; ``null`` clears a date, and is refused elsewhere."""

    nullable = frozenset({"version", "start_date", "end_date"})

    version: str = Field("", description=VERSION_IN)
    title: str | None = None
    summary: str | None = None
    status: Literal["idea", "active", "sustaining", "completed", "stopped"] | None = None
    stop_reason: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    workstream: str | None = Field(None, description="Workstream slug; an empty string clears it.")
    themes: list[str] | None = Field(None, description="Theme slugs (replaces the list).")
    tags: list[str] | None = None
    sharing: Literal["private", "organisation", "collaborative", "public"] | None = None
    partner_organisations: list[str] | None = Field(None, description="Organisation slugs.")


class MemberOut(Schema):
    id: int
    person_id: int
    full_name: str
    role: str
    role_label: str


class MemberIn(In):
    person_id: int
    role: Literal["lead", "sponsor", "member", "coach", "partner"] = "member"


class MemberPatchIn(In):
    role: Literal["lead", "sponsor", "member", "coach", "partner"]


class AimIn(In):
    version: str = Field("", description=VERSION_IN)
    statement: str = ""
    direction: Literal["", "increase", "reduce"] = ""
    measure_text: str = ""
    population: str = ""
    setting: str = ""
    baseline_value: Decimal | None = None
    target_value: Decimal | None = None
    unit: str = ""
    target_date: dt.date | None = None


class AimOut(Schema):
    statement: str
    direction: str
    measure_text: str
    population: str
    setting: str
    baseline_value: Decimal | None
    target_value: Decimal | None
    unit: str
    target_date: dt.date | None
    sentence: str
    smart_problems: list[str] = Field(
        description="What the aim still lacks; empty when it is SMART."
    )
    version: str


class SmartCheckOut(Schema):
    sentence: str
    smart_problems: list[str]


class ProgressIn(In):
    month: str = Field(description="The month rated, as 2026-03 or 2026-03-01.")
    score: Decimal
    rater_type: Literal["self", "faculty"] = "self"
    progress: str = ""
    barriers: str = ""
    help_needed: str = ""


class ProgressOut(Schema):
    id: int
    month: dt.date
    score: Decimal
    label: str
    scale: str
    rater_type: str
    rater: str | None
    progress: str
    barriers: str
    help_needed: str


class PdsaIn(In):
    version: str = ""
    change_ideas: list[int] | None = None
    title: str | None = None
    cycle_number: int | None = None
    scale: str | None = None
    purpose: Literal["collect", "develop", "test", "implement"] | None = None
    owner_id: int | None = None
    status: Literal["plan", "do", "study", "act", "complete"] | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    objective: str | None = None
    questions: str | None = None
    predictions: str | None = None
    plan_who: str | None = None
    plan_what: str | None = None
    plan_where: str | None = None
    plan_when: str | None = None
    data_to_collect: str | None = None
    what_happened: str | None = None
    carried_out_as_planned: bool | None = None
    problems: str | None = None
    observations: str | None = None
    results: str | None = None
    prediction_confirmed: bool | None = None
    learning: str | None = None
    act_decision: Literal["", "adopt", "adapt", "abandon"] | None = None
    next_steps: str | None = None


class PdsaOut(Schema):
    id: int
    cycle_number: int
    title: str
    change_ideas: list[int]
    scale: str
    purpose: str
    owner_id: int | None
    status: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    objective: str
    questions: str
    predictions: str
    plan_who: str
    plan_what: str
    plan_where: str
    plan_when: str
    data_to_collect: str
    what_happened: str
    carried_out_as_planned: bool | None
    problems: str
    observations: str
    results: str
    prediction_confirmed: bool | None
    learning: str
    study_measure_ids: list[int]
    act_decision: str
    next_steps: str
    version: str


class ConflictOut(Schema):
    detail: str
    current_version: str
    current: dict[str, Any]


# --- driver diagram ---------------------------------------------------------------------------

_TEXT = "The words in the box on the diagram (300 characters at most)."


class PrimaryDriverIn(In):
    text: str = Field(description=_TEXT)


class SecondaryDriverIn(In):
    text: str = Field(description=_TEXT)
    primary_driver_ids: list[int] = Field(
        default_factory=list, description="The primary drivers of this diagram it feeds."
    )


class ChangeIdeaIn(In):
    text: str = Field(description=_TEXT)
    description: str = ""
    secondary_driver_ids: list[int] = Field(
        default_factory=list,
        description="The secondary drivers of this diagram it acts on (at least one is good "
        "practice; an idea without any is shown as an orphan).",
    )


class PrimaryDriverPatchIn(In):
    version: str = Field("", description=VERSION_IN)
    text: str | None = None


class SecondaryDriverPatchIn(PrimaryDriverPatchIn):
    primary_driver_ids: list[int] | None = Field(None, description="Replaces the links.")


class ChangeIdeaPatchIn(PrimaryDriverPatchIn):
    description: str | None = None
    secondary_driver_ids: list[int] | None = Field(None, description="Replaces the links.")


class MoveIn(In):
    direction: Literal["up", "down"] = Field(
        description="Swap with the neighbour above (`up`) or below (`down`) in its column."
    )


class DriverNodeOut(Schema):
    id: int
    text: str
    order: int = Field(description="Sort key within its column: smaller comes first.")
    version: str = Field(
        description="Send back as `version` when changing it, to detect concurrent edits."
    )


class PrimaryDriverOut(DriverNodeOut):
    pass


class SecondaryDriverOut(DriverNodeOut):
    primary_driver_ids: list[int]


class ChangeIdeaOut(DriverNodeOut):
    description: str
    secondary_driver_ids: list[int]
