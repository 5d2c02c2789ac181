"""Forms to start, describe, share and find projects."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.accounts.roles import roles_for
from qicollab.collaborative.models import Theme, Workstream
from qicollab.core.forms import ConflictMixin
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.projects import selectors
from qicollab.projects.forms.fields import DATE_ERRORS, date_input
from qicollab.projects.models import Project, Sharing, Status


class WorkstreamChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Names the collaborative too when the person works in more than one."""

    def __init__(self, *args: Any, show_collaborative: bool = False, **kwargs: Any) -> None:
        self.show_collaborative = show_collaborative
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Workstream) -> str:
        if self.show_collaborative:
            return f"{obj.collaborative.display_name}: {obj.name}"
        return obj.name


class ProjectCreateForm(forms.Form):
    title = forms.CharField(
        label="Project title",
        max_length=200,
        help_text="Short and specific, e.g. 'Safer observations on Willow ward'.",
        error_messages={"required": "Enter a title for the project."},
    )
    collaborative = forms.ModelChoiceField(
        queryset=Collaborative.objects.none(),
        label="Collaborative",
        empty_label=None,
        error_messages={
            "required": "Choose the collaborative this project is part of.",
            "invalid_choice": "Choose a collaborative you can start a project in.",
        },
    )
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Lead organisation",
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation leading the project.",
            "invalid_choice": "Choose a member organisation of the collaborative that you "
            "work for.",
        },
    )
    workstream = WorkstreamChoice(
        queryset=Workstream.objects.none(),
        label="Workstream (optional)",
        required=False,
        empty_label="No workstream",
        error_messages={"invalid_choice": "Choose a workstream of the project's collaborative."},
    )
    sharing = forms.ChoiceField(
        label="Who can see this project?",
        choices=Sharing.choices,
        widget=forms.RadioSelect,
        initial=Sharing.COLLABORATIVE,
        error_messages={"required": "Choose who can see the project."},
    )
    summary = forms.CharField(
        label="Summary (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The problem you are tackling and why it matters.",
    )

    def __init__(
        self, *args: Any, viewer: Any, current: Collaborative | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        collabs = selectors.creation_collaboratives(viewer=viewer)
        self.fields["collaborative"].queryset = collabs  # type: ignore[attr-defined]
        if current is not None and collabs.filter(pk=current.pk).exists():
            self.fields["collaborative"].initial = current.pk
        org_ids: set[int] = set()
        for c in collabs:
            org_ids |= set(
                selectors.creation_organisations(viewer=viewer, collaborative=c).values_list(
                    "id", flat=True
                )
            )
        orgs = Organisation.objects.filter(pk__in=org_ids).order_by("name")
        self.fields["lead_organisation"].queryset = orgs  # type: ignore[attr-defined]
        own = [o for o in roles_for(viewer).own_org_ids if o in org_ids]
        if len(own) == 1:
            self.fields["lead_organisation"].initial = own[0]
        ws = self.fields["workstream"]
        ws.queryset = selectors.collaborative_workstreams(collaborative_ids=collabs.values("id"))  # type: ignore[attr-defined]
        ws.show_collaborative = len(collabs) > 1  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        collab, org, ws = (
            data.get("collaborative"),
            data.get("lead_organisation"),
            data.get("workstream"),
        )
        if collab and ws and ws.collaborative_id != collab.pk:
            self.add_error("workstream", f"Choose a workstream of {collab.display_name}.")
        if collab and org and not collab.memberships.current().filter(organisation=org).exists():
            self.add_error("lead_organisation", f"{org} is not a member of {collab.display_name}.")
        return data


class ProjectDetailsForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    tags = forms.CharField(
        label="Tags (optional)",
        required=False,
        max_length=500,
        help_text="Separate tags with commas, e.g. 'restrictive practice, night shifts'.",
    )

    class Meta:
        model = Project
        fields = (
            "title",
            "summary",
            "status",
            "stop_reason",
            "start_date",
            "end_date",
            "workstream",
            "themes",
        )
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
            "stop_reason": forms.Textarea(attrs={"rows": 3}),
            "start_date": date_input(),
            "end_date": date_input(),
            "themes": forms.CheckboxSelectMultiple,
        }
        labels = {
            "workstream": "Workstream",
            "themes": "Cross-cutting themes",
            "start_date": "Start date (optional)",
            "end_date": "End date (optional)",
        }
        help_texts = {
            "stop_reason": "Needed if the status is 'Stopped'. "
            "What others can learn from it helps most."
        }
        error_messages = {
            "title": {"required": "Enter a title for the project."},
            "start_date": DATE_ERRORS,
            "end_date": DATE_ERRORS,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project: Project = self.instance
        self.fields["workstream"].queryset = Workstream.objects.filter(  # type: ignore[attr-defined]
            collaborative_id=project.collaborative_id
        )
        self.fields["workstream"].empty_label = "No workstream"  # type: ignore[attr-defined]
        self.fields["themes"].queryset = Theme.objects.filter(  # type: ignore[attr-defined]
            collaborative_id=project.collaborative_id
        )
        self.fields["status"].choices = Status.choices  # type: ignore[attr-defined]
        if project.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in project.tags.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.STOPPED and not (data.get("stop_reason") or "").strip():
            self.add_error("stop_reason", "Say why the project stopped.")
        return data


class ProjectSharingForm(ConflictMixin, forms.Form):
    sharing = forms.ChoiceField(
        label="Who can see this project?",
        choices=Sharing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can see the project."},
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        label="Partner organisations (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Organisations working on the project with the lead organisation. With "
        "'Our organisations', their staff can see it too.",
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = project.collaborative.memberships.current().values("organisation_id")
        self.fields["partner_organisations"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(pk__in=members)
            .exclude(pk=project.lead_organisation_id)
            .order_by("name")
        )


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label="Title, summary or tag", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Status.choices]
    )
    workstream = WorkstreamChoice(
        queryset=Workstream.objects.none(),
        label="Workstream",
        required=False,
        empty_label="Any workstream",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        required=False,
        empty_label="Any organisation",
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        r = roles_for(viewer)
        collab_ids = (
            Collaborative.objects.all().values("id") if r.is_superuser else r.visible_collab_ids
        )
        ws = self.fields["workstream"]
        ws.queryset = selectors.collaborative_workstreams(collaborative_ids=collab_ids)  # type: ignore[attr-defined]
        ws.show_collaborative = r.is_superuser or len(r.visible_collab_ids) > 1  # type: ignore[attr-defined]
        orgs = (
            Organisation.objects.all()
            if r.is_superuser
            else Organisation.objects.filter(pk__in=r.visible_org_ids)
        )
        self.fields["organisation"].queryset = orgs.order_by("name")  # type: ignore[attr-defined]
