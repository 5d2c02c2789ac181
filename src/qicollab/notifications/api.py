"""``/api/notifications``: your notifications (list, mark read) and your email settings.

Only ever the caller's own: another person's notification is a 404, like on the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from qicollab.api.pagination import Pages
from qicollab.api.schemas import ErrorOut, FieldErrorsOut, InputSchema
from qicollab.core.http import found, signed_in
from qicollab.notifications import selectors, services
from qicollab.notifications.kinds import Frequency
from qicollab.notifications.models import Notification
from qicollab.notifications.selectors import Setting

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    actor: str | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_actor(obj: Notification) -> str | None:
        return (obj.actor.full_name or obj.actor.email) if obj.actor is not None else None


class UnreadCountOut(Schema):
    unread: int


class NotificationSettingOut(Schema):
    kind: str
    label: str
    hint: str
    frequency: str
    is_default: bool
    always_emailed: bool

    @staticmethod
    def of(s: Setting) -> dict[str, Any]:
        return {
            "kind": s.kind.key,
            "label": s.kind.label,
            "hint": s.kind.hint,
            "frequency": s.frequency,
            "is_default": not s.chosen,
            "always_emailed": s.kind.app_emails,
        }


class NotificationSettingIn(InputSchema):
    kind: str
    frequency: Frequency


@router.get(
    "",
    response={200: list[NotificationOut], 401: ErrorOut},
    summary="List your notifications",
    description="Newest first, paged. `unread=true` for the unread ones only.",
)
@paginate(Pages)
def notification_list(request: HttpRequest, unread: bool = False) -> Any:
    return selectors.notification_list(viewer=signed_in(request), unread_only=unread)


@router.get(
    "/unread-count",
    response={200: UnreadCountOut, 401: ErrorOut},
    summary="How many notifications you have not read",
    description="The number the header shows beside Notifications: your unread ones only.",
)
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(viewer=signed_in(request))}


@router.post(
    "/{notification_id}/read",
    response={200: NotificationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Mark one of your notifications read",
    description="Already read: answered as it is. Someone else's notification: 404.",
)
def notification_read(request: HttpRequest, notification_id: int) -> Notification:
    viewer = signed_in(request)
    n = found(selectors.notification_get(viewer=viewer, pk=notification_id))
    return services.notification_mark_read(actor=viewer, notification=n)


@router.post(
    "/read-all",
    response={200: UnreadCountOut, 401: ErrorOut},
    summary="Mark all your notifications read",
    description="Answers the unread count afterwards (0).",
)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    viewer = signed_in(request)
    services.notifications_mark_all_read(actor=viewer)
    selectors.forget_unread_count(viewer)
    return {"unread": selectors.unread_count(viewer=viewer)}


@router.get(
    "/settings",
    response={200: list[NotificationSettingOut], 401: ErrorOut},
    summary="Your email settings, one per kind of notification",
    description=(
        "Every kind with your choice (or its default when `is_default`): off, immediately, "
        "daily or weekly. Notifications are always listed; the setting is about email."
    ),
)
def settings_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [NotificationSettingOut.of(s) for s in selectors.preferences(person=signed_in(request))]


@router.post(
    "/settings",
    response={200: list[NotificationSettingOut], 401: ErrorOut, 422: FieldErrorsOut},
    summary="Change how you hear of one kind by email",
    description=(
        "`frequency`: off, immediately, daily or weekly. An unknown kind, or a kind that is "
        "always emailed set to anything but immediately, is refused (422). Answers every "
        "setting."
    ),
)
def settings_set(request: HttpRequest, payload: NotificationSettingIn) -> list[dict[str, Any]]:
    viewer = signed_in(request)
    services.preference_set(
        actor=viewer, person=viewer, kind_key=payload.kind, frequency=str(payload.frequency)
    )
    return [NotificationSettingOut.of(s) for s in selectors.preferences(person=viewer)]
