"""The kinds of notification: the one place a new kind is declared.

An app that wants to tell people something adds one :class:`Kind` to :data:`KINDS` below
and calls :func:`qicollab.notifications.services.notify` with its key. The preferences
page, the API and the digests read this list; nothing else needs to change.

A kind's key is ``<app>.<what>``. ``default`` is how people hear of it by email until they
choose otherwise; the notification always appears in their list in qicollab (the setting
is about email only, so an approval waiting for someone never vanishes from view).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Frequency(models.TextChoices):
    OFF = "off", "No emails (still listed in qicollab)"
    IMMEDIATELY = "immediately", "An email straight away"
    DAILY = "daily", "A daily digest email"
    WEEKLY = "weekly", "A weekly digest email"


@dataclass(frozen=True)
class Kind:
    key: str
    #: What the person chooses about, as the preferences page words it.
    label: str
    hint: str
    default: Frequency
    #: The owning app sends its own email for this kind (a booking confirmation, say) that
    #: must go whatever the setting: the preference does not apply, and notify() sends none.
    app_emails: bool = False


KINDS: tuple[Kind, ...] = (
    Kind(
        "measures.signal",
        "A new signal on my project's measures",
        "A shift, trend or point outside the limits on a chart of a project you are on.",
        Frequency.IMMEDIATELY,
    ),
    Kind(
        "measures.data_due",
        "Data due or overdue",
        "A measure of your project has no value for a period that has ended.",
        Frequency.WEEKLY,
    ),
    Kind(
        "events.place_offered",
        "A place offered from the waiting list",
        "Always emailed as well: the email confirms your place.",
        Frequency.IMMEDIATELY,
        app_emails=True,
    ),
    Kind(
        "approvals.requested",
        "Something waits for my approval",
        "For example a learning-from-deaths summary ready to be signed off.",
        Frequency.IMMEDIATELY,
    ),
    # Declared for the discussion and innovations modules, which call notify() with them.
    Kind(
        "discussion.mention",
        "Someone mentions me",
        "An @mention of you in a comment.",
        Frequency.IMMEDIATELY,
    ),
    Kind(
        "discussion.reply",
        "A reply to my comment",
        "Someone replies to a comment you wrote.",
        Frequency.DAILY,
    ),
    Kind(
        "innovations.adopted",
        "Someone adopts my team's innovation",
        "Another team says it is adopting an innovation your team shared.",
        Frequency.DAILY,
    ),
)

_BY_KEY = {k.key: k for k in KINDS}


def kind(key: str) -> Kind:
    """The kind with this key; ``KeyError`` for one no app declared (a programming error)."""
    return _BY_KEY[key]


def is_kind(key: str) -> bool:
    return key in _BY_KEY
