from __future__ import annotations

from typing import Any

from django import forms

from qicollab.capability.models import LEVEL_SUBTITLES, Level, SubjectArea
from qicollab.collaborative.models import Workstream
from qicollab.core.forms import ConflictMixin
from qicollab.events.models import (
    ActionPeriod,
    AgendaItem,
    AgendaKind,
    Contribution,
    LearningSession,
    Rating,
)
from qicollab.organisations.models import Organisation
from qicollab.projects.models import Project


class RegistrationForm(forms.Form):
    needs = forms.CharField(
        label="Accessibility or dietary needs (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the organisers see this, and it is deleted after the event.",
        error_messages={"max_length": "Keep your needs to 1,000 characters or fewer"},
    )


# --- Organisers: sessions, action periods and the agenda ------------------------------
# (used by views_organiser.py; the shape of input only: services check the business rules)


class _DateInput(forms.DateInput):
    input_type = "date"


class _TimeInput(forms.TimeInput):
    input_type = "time"


_DATE_ERRORS = {"invalid": "Enter a real date, like 2026-11-24."}
_TIME_ERRORS = {"invalid": "Enter a time on the 24-hour clock, like 09:30 or 14:15."}


def _date(label: str, what: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=_DateInput(),
        error_messages={**_DATE_ERRORS, "required": f"Enter the date {what}."},
    )


def _time(label: str, what: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=_TimeInput(),
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        error_messages={**_TIME_ERRORS, "required": f"Enter the time {what}."},
    )


class LearningSessionForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    starts_on = _date("First day", "the session starts")
    ends_on = _date("Last day", "the session ends (the same as the first day for one day)")

    class Meta:
        model = LearningSession
        fields = (
            "title",
            "starts_on",
            "ends_on",
            "venue",
            "online_link",
            "capacity",
            "ask_needs",
            "description",
        )
        labels = {
            "online_link": "Online link (optional)",
            "venue": "Venue (optional)",
            "capacity": "Places (optional)",
            "description": "Description (optional)",
        }
        help_texts = {
            "title": "For example, Learning session 12: spreading what works.",
            "venue": "The building and town, as people will put it in their calendar.",
            "online_link": "For online or hybrid sessions: the meeting link, starting https://",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "capacity": forms.NumberInput(
                attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}
            ),
        }
        error_messages = {
            "title": {"required": "Enter a title for the learning session."},
            "online_link": {"invalid": "Enter the online link as a full web address, "
                            "starting https://"},
            "capacity": {"invalid": "Enter the number of places as a whole number, like 60.",
                         "min_value": "The number of places cannot be negative."},
        }  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The last day must be the same as or after the first day.")
        if start and end and (end - start).days > 13:
            self.add_error(
                "ends_on", "A learning session lasts two weeks at most. Check the dates."
            )
        if data.get("capacity") == 0:
            self.add_error("capacity", "Enter at least 1 place, or leave it empty for no limit.")
        return data


class ActionPeriodForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    starts_on = _date("Starts on", "the action period starts")
    ends_on = _date("Ends on", "the action period ends")

    class Meta:
        model = ActionPeriod
        fields = ("title", "starts_on", "ends_on")
        help_texts = {"title": "For example, Action period 2."}
        error_messages = {"title": {"required": "Enter a title for the action period."}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The end date must be the same as or after the start date.")
        return data


class AgendaItemForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    starts_at = _time("Starts at", "it starts")
    ends_at = _time("Ends at", "it ends")

    class Meta:
        model = AgendaItem
        fields = (
            "kind",
            "title",
            "day",
            "starts_at",
            "ends_at",
            "presenter",
            "room",
            "description",
            "subject",
            "level",
            "workstream",
            "capacity",
        )
        labels = {
            "kind": "Type of item",
            "presenter": "Presenter or facilitator (optional)",
            "room": "Room (optional)",
            "description": "Description (optional)",
            "subject": "Subject area",
            "level": "3 L's level",
            "workstream": "Workstream (optional)",
            "capacity": "Workshop places (optional)",
        }
        help_texts = {
            "capacity": "Workshops only; leave empty for no limit.",
            "day": "",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "level": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "day": forms.NumberInput(
                attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}
            ),
            "capacity": forms.NumberInput(
                attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}
            ),
        }
        error_messages = {
            "kind": {"required": "Choose the type of item."},
            "title": {"required": "Enter a title for the agenda item."},
            "day": {"required": "Enter the day of the session, like 1.",
                    "invalid": "Enter the day as a number, like 1 or 2.",
                    "min_value": "Enter the day as a number, like 1 or 2."},
            "capacity": {"invalid": "Enter the number of places as a whole number, like 25.",
                         "min_value": "The number of places cannot be negative."},
        }  # fmt: skip

    def __init__(self, *args: Any, session: LearningSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        days = (session.ends_on - session.starts_on).days + 1
        self.fields["day"].help_text = (
            f"This session has {days} days: enter a number from 1 to {days}."
            if days > 1
            else "This is a one-day session: day 1."
        )
        self.fields["kind"].choices = AgendaKind.choices  # type: ignore[attr-defined]
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (value, f"{label}: {LEVEL_SUBTITLES[Level(value)].lower()}")
            for value, label in Level.choices
        ]
        self.fields["subject"].queryset = SubjectArea.objects.filter(  # type: ignore[attr-defined]
            collaborative_id=session.collaborative_id, is_active=True
        )
        self.fields["subject"].empty_label = "Choose a subject area"  # type: ignore[attr-defined]
        self.fields["workstream"].queryset = Workstream.objects.filter(  # type: ignore[attr-defined]
            collaborative_id=session.collaborative_id
        )
        self.fields["workstream"].empty_label = "None"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The end time must be after the start time.")
        day = data.get("day")
        days = (self.session.ends_on - self.session.starts_on).days + 1
        if day is not None and not 1 <= day <= days:
            self.add_error(
                "day",
                f"Day {day} is not a day of this session: enter a number from 1 to {days}."
                if days > 1
                else "This is a one-day session: enter 1.",
            )
        if data.get("kind") == AgendaKind.WORKSHOP:
            if not data.get("subject") and "subject" not in self.errors:
                self.add_error("subject", "Choose the subject area this workshop teaches.")
            if not data.get("level") and "level" not in self.errors:
                self.add_error(
                    "level", "Choose the level this workshop is for: Learn, Live or Lead."
                )
            if data.get("capacity") == 0:
                self.add_error(
                    "capacity", "Enter at least 1 place, or leave it empty for no limit."
                )
        else:
            # Only workshops carry a 3 L's tag and a booking limit; the rest is open to all.
            for name in ("subject", "level", "workstream", "capacity"):
                data[name] = None
        return data


# --- Feedback and storyboards (views_feedback.py, views_storyboards.py) ---------------


class FeedbackForm(forms.Form):
    """The short survey after a session. The answers are stored without the person."""

    rating = forms.TypedChoiceField(
        label="Overall, how would you rate this learning session?",
        choices=[(v, f"{v}: {label}") for v, label in reversed(Rating.choices)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an overall rating, from 5 (excellent) to 1."},
    )
    learning = forms.ChoiceField(
        label="Did the session contribute to your learning?",
        choices=Contribution.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the session contributed to your learning."},
    )
    patient_care = forms.ChoiceField(
        label="Will it contribute to improving patient care?",
        choices=Contribution.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether it will contribute to improving patient care."},
    )
    do_differently = forms.CharField(
        label="What will you do differently? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Please do not include names or anything that identifies you or a patient.",
        error_messages={"max_length": "Keep this answer to 2,000 characters or fewer."},
    )
    comments = forms.CharField(
        label="Any other comments (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Keep your comments to 2,000 characters or fewer."},
    )


class ProjectStoryboardForm(forms.Form):
    project = forms.ModelChoiceField(
        label="Project",
        queryset=Project.objects.none(),
        empty_label="Choose a project",
        error_messages={
            "required": "Choose the project whose storyboard you are presenting.",
            "invalid_choice": "Choose one of your projects in this collaborative.",
        },
    )
    summary = forms.CharField(
        label="The idea others could take away (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave empty to use the project's summary.",
        error_messages={"max_length": "Keep this to 1,000 characters or fewer."},
    )

    def __init__(self, *args: Any, projects: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in projects]
        ).order_by("title")


class UploadStoryboardForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Presenting organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation presenting this storyboard.",
            "invalid_choice": "Choose a member organisation you work for.",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the storyboard.",
            "max_length": "Keep the title to 200 characters or fewer.",
        },
    )
    summary = forms.CharField(
        label="The idea others could take away (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep this to 1,000 characters or fewer."},
    )
    workstream = forms.ModelChoiceField(
        label="Workstream (optional)",
        queryset=Workstream.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose one of this collaborative's workstreams."},
    )
    file = forms.FileField(
        label="Storyboard file",
        help_text="A PDF, PNG or JPEG file.",
        error_messages={
            "required": "Choose a PDF, PNG or JPEG file to upload.",
            "empty": "The file is empty.",
        },
    )

    def __init__(
        self, *args: Any, organisations: Any, workstreams: Any, max_mb: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["workstream"].queryset = workstreams  # type: ignore[attr-defined]
        self.fields["file"].help_text = f"A PDF, PNG or JPEG file, up to {max_mb} MB."


class StealForm(forms.Form):
    note = forms.CharField(
        label="A note for the team (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, what you will try first, or a question for them.",
        error_messages={"max_length": "Keep your note to 1,000 characters or fewer."},
    )
