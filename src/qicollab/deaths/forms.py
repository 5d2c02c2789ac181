"""Forms check the shape of input; the services check the rules of learning from deaths."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from qicollab.accounts.models import Person
from qicollab.core.forms import ConflictMixin
from qicollab.deaths import choices as c
from qicollab.deaths import deid
from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.deaths.models import (
    CandourRecord,
    CaseAction,
    CaseReview,
    Death,
    DeathsSettings,
    FamilyInvolvement,
    LearningSummary,
    LearningTheme,
)
from qicollab.organisations.models import Collaborative, Organisation

DATE = {"type": "date"}
DATE_ERRORS = {"invalid": "Enter a real date, like 2025-04-01."}


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE),
        error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}."},
    )


class DeathsSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DeathsSettings
        fields = (
            "review_tool",
            "scale_orientation",
            "sample_rate",
            "local_red_flags",
            "nhs_number_enabled",
            "split_adult_ages",
        )
        widgets = {
            "review_tool": forms.RadioSelect,
            "scale_orientation": forms.RadioSelect,
            "local_red_flags": forms.Textarea(attrs={"rows": 4}),
            "sample_rate": forms.NumberInput(
                attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}
            ),
        }
        error_messages = {
            "sample_rate": {
                "max_value": "The sample is a percentage from 0 to 100.",
                "invalid": "Enter a whole number from 0 to 100.",
            }
        }


class TeamMemberForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Person",
        empty_label="Choose a person",
        error_messages={"required": "Choose the person to add."},
    )
    role = forms.ChoiceField(
        choices=c.TeamRole.choices,
        widget=forms.RadioSelect,
        initial=c.TeamRole.REVIEWER,
        label="Role on the team",
        help_text="Leads also approve learning summaries for sharing and may delete cases.",
        error_messages={"required": "Choose the role."},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["person"])  # type: ignore[type-arg]
        field.queryset = (
            Person.objects.filter(
                affiliations__organisation=organisation,
                affiliations__ended_on__isnull=True,
                is_active=True,
            )
            .order_by("full_name")
            .distinct()
        )


class CaseForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=14,
        help_text="10 digits, like 943 476 5919. Stored encrypted; shown only to your team.",
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input--width-10",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        ),
    )

    class Meta:
        model = Death
        fields = (
            "case_reference",
            "date_of_death",
            "age_band",
            "setting",
            "service",
            "category",
            "learning_disability",
            "autism",
            "leder_status",
            "leder_referred_on",
            "leder_reference",
            "leder_reason",
            "notified_by",
            "notified_on",
            "in_scope",
            "out_of_scope_reason",
        )
        widgets = {
            "case_reference": forms.TextInput(
                attrs={
                    "class": "nhsuk-input--width-20",
                    "spellcheck": "false",
                    "autocomplete": "off",
                }
            ),
            "date_of_death": forms.DateInput(attrs=DATE),
            "leder_referred_on": forms.DateInput(attrs=DATE),
            "notified_on": forms.DateInput(attrs=DATE),
            "setting": forms.RadioSelect,
            "category": forms.RadioSelect,
            "leder_status": forms.RadioSelect,
        }
        error_messages = {
            "case_reference": {"required": "Enter your local case reference."},
            "date_of_death": {"required": "Enter the date of death.", **DATE_ERRORS},
            "age_band": {"required": "Choose the age band."},
            "setting": {"required": "Choose where the person was in care."},
            "service": {"required": "Enter the service or team."},
            "category": {"required": "Choose the type of death."},
            "notified_by": {"required": "Choose how you were told about the death."},
            "notified_on": DATE_ERRORS,
            "leder_referred_on": DATE_ERRORS,
        }
        help_texts = {
            "learning_disability": "Deaths of people with a learning disability, and of "
            "autistic people, must be referred to LeDeR.",
        }

    def clean_case_reference(self) -> str:
        reference = str(self.cleaned_data.get("case_reference") or "").strip()
        names = [n.name for n in self.instance.names.all()] if self.instance.pk else []
        problem = deid.reference_problem(reference, names=names)
        if problem:
            raise forms.ValidationError(problem)
        return reference

    def __init__(self, *args: Any, nhs_enabled: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not nhs_enabled:
            del self.fields["nhs_number"]
        self.fields["age_band"].choices = [("", "Choose an age band"), *c.AgeBand.choices]  # type: ignore[attr-defined]
        self.fields["notified_by"].choices = [("", "Choose one"), *c.NotifiedBy.choices]  # type: ignore[attr-defined]
        self.fields["leder_status"].choices = [x for x in c.LederStatus.choices if x[0]]  # type: ignore[attr-defined]
        if self.instance.pk and nhs_enabled:
            self.initial.setdefault("nhs_number", self.instance.nhs_number)


class ScreeningForm(forms.Form):
    screened_on = _date("Date screened", required=True)
    red_flags = forms.MultipleChoiceField(
        label="Red flags (Royal College of Psychiatrists care review tool)",
        required=False,
        choices=c.RedFlag.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Any red flag means the death must be reviewed.",
    )
    local_flags = forms.MultipleChoiceField(
        label="Local red flags", required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    sampled = forms.BooleanField(label="Chosen in the sample of other deaths", required=False)
    outcome = forms.ChoiceField(
        label="Response",
        choices=c.ScreeningOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the response."},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the decision."},
    )

    def __init__(self, *args: Any, local_flags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if local_flags:
            self.fields["local_flags"].choices = [(f, f) for f in local_flags]  # type: ignore[attr-defined]
        else:
            del self.fields["local_flags"]


PHASE_NA = "na"


class ReviewForm(ConflictMixin, forms.Form):
    """The structured judgement review, built for the review's phases and the org's scale."""

    overall_rating = forms.TypedChoiceField(
        label="Overall care",
        required=False,
        coerce=int,
        empty_value=None,
        choices=c.CareRating.choices,
        widget=forms.RadioSelect,
    )
    overall_narrative = forms.CharField(
        label="Overall judgement", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    problems_answered = forms.BooleanField(required=False, widget=forms.HiddenInput, initial=True)
    good_practice = forms.CharField(
        label="Good practice seen", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    learning = forms.CharField(
        label="Learning points", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    disagrees_with_first = forms.BooleanField(
        label="I disagree with the first review's judgements", required=False
    )
    disagreement = forms.CharField(
        label="Where and why the reviewers disagree",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        review: CaseReview,
        phases: list[tuple[str, str]],
        orientation: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.phase_codes = [code for code, _ in phases]
        self.phase_labels = dict(phases)
        rating_choices = [(str(v), label) for v, label in c.CareRating.choices] + [
            (PHASE_NA, "Not applicable")
        ]
        for code, label in phases:
            self.fields[f"phase_{code}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=rating_choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"phase_{code}_narrative"] = forms.CharField(
                label=f"Your judgement of {label[0].lower() + label[1:]}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        harm_choices = [("", "Not found"), *c.Harm.choices]
        for code, label in c.ProblemType.choices:
            self.fields[f"problem_{code}"] = forms.ChoiceField(
                label=label, required=False, choices=harm_choices
            )
            self.fields[f"problem_{code}_description"] = forms.CharField(
                label=f"What went wrong ({label[0].lower() + label[1:]})",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["avoidability"] = forms.TypedChoiceField(
            label="Was the death avoidable?",
            required=False,
            coerce=int,
            empty_value=None,
            choices=c.avoidability_choices(orientation),
            widget=forms.RadioSelect,
            help_text=(
                "Your organisation numbers this scale "
                + (
                    "from 1 (definitely not avoidable) to 6 (definitely avoidable)."
                    if orientation == c.ScaleOrientation.HOGAN
                    else "from 1 (definitely avoidable) to 6 (definitely not avoidable)."
                )
            ),
        )
        if review.stage != 2:
            del self.fields["disagrees_with_first"]
            del self.fields["disagreement"]
        if not self.is_bound:
            self.initial.update(self._initial_from(review, orientation))

    def _initial_from(self, review: CaseReview, orientation: str) -> dict[str, Any]:
        init: dict[str, Any] = {
            "overall_rating": review.overall_rating,
            "overall_narrative": review.overall_narrative,
            "good_practice": review.good_practice,
            "learning": review.learning,
            "disagrees_with_first": review.disagrees_with_first,
            "disagreement": review.disagreement,
        }
        if review.avoidability:
            init["avoidability"] = c.avoidability_number(review.avoidability, orientation)
        if review.pk:
            for pj in review.phases.all():
                init[f"phase_{pj.phase}"] = (
                    PHASE_NA if not pj.applicable else (str(pj.rating) if pj.rating else "")
                )
                init[f"phase_{pj.phase}_narrative"] = pj.narrative
            for cp in review.problems.all():
                init[f"problem_{cp.problem_type}"] = cp.harm
                init[f"problem_{cp.problem_type}_description"] = cp.description
        return init

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        phases: dict[str, tuple[int | None, bool, str]] = {}
        for code in self.phase_codes:
            raw = d.get(f"phase_{code}") or ""
            narrative = d.get(f"phase_{code}_narrative") or ""
            if raw == PHASE_NA:
                phases[code] = (None, False, narrative)
            elif raw or narrative:
                phases[code] = (int(raw) if raw else None, True, narrative)
        problems = {
            code: (d[f"problem_{code}"], d.get(f"problem_{code}_description") or "")
            for code in c.ProblemType.values
            if d.get(f"problem_{code}")
        }
        return {
            "phases": phases,
            "problems": problems,
            "problems_answered": True,
            "avoidability_number": d.get("avoidability"),
            "overall_rating": d.get("overall_rating"),
            "overall_narrative": d.get("overall_narrative"),
            "good_practice": d.get("good_practice"),
            "learning": d.get("learning"),
            "disagrees_with_first": d.get("disagrees_with_first"),
            "disagreement": d.get("disagreement"),
        }

    def problem_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"problem_{code}"], self[f"problem_{code}_description"])
            for code in c.ProblemType.values
        ]

    def phase_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"phase_{code}"], self[f"phase_{code}_narrative"]) for code in self.phase_codes
        ]


class FamilyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FamilyInvolvement
        fields = (
            "contacted",
            "contacted_on",
            "not_contacted_reason",
            "wanted_involvement",
            "questions",
            "involved_in_review",
            "findings_shared_on",
            "findings_shared_how",
        )
        widgets = {
            "contacted_on": forms.DateInput(attrs=DATE),
            "findings_shared_on": forms.DateInput(attrs=DATE),
            "wanted_involvement": forms.RadioSelect,
            "findings_shared_how": forms.RadioSelect,
            "questions": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"contacted_on": DATE_ERRORS, "findings_shared_on": DATE_ERRORS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contacted") and not data.get("contacted_on"):
            self.add_error(
                "contacted_on", "Enter the date the family or carers were first contacted."
            )
        if not data.get("contacted") and not (data.get("not_contacted_reason") or "").strip():
            self.add_error(
                "not_contacted_reason", "Say why the family or carers have not been contacted."
            )
        if data.get("involved_in_review") and not data.get("contacted"):
            self.add_error(
                "involved_in_review",
                "The family can be involved only once they have been contacted.",
            )
        return data


class CandourForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CandourRecord
        fields = (
            "applies",
            "harm_level",
            "notified_in_person_on",
            "notified_by",
            "apology_given",
            "written_notification_on",
            "findings_shared_on",
            "notes",
        )
        widgets = {
            "harm_level": forms.RadioSelect,
            "notified_in_person_on": forms.DateInput(attrs=DATE),
            "written_notification_on": forms.DateInput(attrs=DATE),
            "findings_shared_on": forms.DateInput(attrs=DATE),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "applies": "For a notifiable safety incident: moderate harm or worse, including "
            "death (Regulation 20)."
        }
        error_messages = dict.fromkeys(
            ("notified_in_person_on", "written_notification_on", "findings_shared_on"), DATE_ERRORS
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("applies") and not data.get("harm_level"):
            self.add_error("harm_level", "Choose the level of harm.")
        told, written = data.get("notified_in_person_on"), data.get("written_notification_on")
        if told and written and written < told:
            self.add_error(
                "written_notification_on",
                "The written notification follows the conversation in person.",
            )
        return data


class ActionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CaseAction
        fields = ("description", "owner", "due_on", "status", "impact")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs=DATE),
            "status": forms.RadioSelect,
            "impact": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "description": {"required": "Describe the action."},
            "owner": {"required": "Enter who owns the action."},
            "due_on": {"required": "Enter the due date.", **DATE_ERRORS},
        }

    def __init__(
        self, *args: Any, projects: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if projects:
            # Only the viewer's own organisation's projects are offered (a plain choice, not a
            # model field, so the list stays scoped by the projects app's permissions).
            self.fields["project_id"] = forms.TypedChoiceField(
                label="Linked QI project (optional)",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Not linked"), *projects],
            )
            if self.instance.pk:
                self.initial["project_id"] = self.instance.project_id


class CaseNameForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="As it might be written in a summary. Kept encrypted, used only for the "
        "de-identification check.",
        error_messages={"required": "Enter the name."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Who they are",
        choices=c.NameRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who they are."},
    )


class SummaryForm(forms.ModelForm):  # type: ignore[type-arg]
    themes = forms.ModelMultipleChoiceField(
        queryset=LearningTheme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Themes",
        help_text="Choose every theme that applies; they are counted across the collaborative.",
    )

    class Meta:
        model = LearningSummary
        fields = (
            "title",
            "phase_of_care",
            "what_happened",
            "what_learned",
            "what_changed",
            "themes",
        )
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 6}),
            "what_learned": forms.Textarea(attrs={"rows": 5}),
            "what_changed": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": "A short description of the learning, like 'Physical health checks after "
            "rapid tranquillisation'.",
            "what_happened": "De-identified: no names, dates, places or numbers that could "
            "identify anyone.",
        }
        error_messages = {
            "title": {"required": "Enter a title."},
            "phase_of_care": {"required": "Choose the phase of care the learning relates to."},
            "what_happened": {"required": "Describe what happened."},
            "what_learned": {"required": "Describe what was learned."},
            "what_changed": {"required": "Describe what changed, or is changing, as a result."},
        }

    def __init__(self, *args: Any, tool: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase_of_care"].choices = [("", "Choose a phase of care"), *c.phases_for(tool)]  # type: ignore[attr-defined]


class ApproveForm(forms.Form):
    collaboratives = forms.ModelMultipleChoiceField(
        queryset=Collaborative.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Share with",
        error_messages={"required": "Choose at least one collaborative to share with."},
    )
    confirm = forms.BooleanField(
        label="I have read the summary and confirm it identifies no one",
        error_messages={"required": "Confirm you have read the summary and it identifies no one."},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Collaborative.objects.filter(
            pk__in=organisation.collaborative_memberships.current().values("collaborative_id")
        ).order_by("name")
        self.fields["collaboratives"].queryset = qs  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["collaboratives"] = list(qs.values_list("pk", flat=True))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Give the reason."},
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Case reference or service", required=False)
    quarter = forms.CharField(label="Quarter", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Any"),
            ("unscreened", "Not screened yet"),
            ("awaiting_review", "Waiting for review"),
            ("second_review", "Needs a second review"),
        ],
    )
    category = forms.ChoiceField(
        label="Type of death", required=False, choices=[("", "Any type"), *c.Category.choices]
    )

    def __init__(self, *args: Any, quarters: list[FinancialQuarter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"] = forms.ChoiceField(
            label="Quarter of death",
            required=False,
            choices=[("", "Any quarter"), *[(q.slug, q.label) for q in reversed(quarters)]],
        )


class PeriodForm(forms.Form):
    start = forms.ChoiceField(label="From", required=False)
    end = forms.ChoiceField(label="To", required=False)

    def __init__(self, *args: Any, quarters: list[FinancialQuarter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opts = [(q.slug, q.label) for q in quarters]
        self.fields["start"].choices = opts  # type: ignore[attr-defined]
        self.fields["end"].choices = opts  # type: ignore[attr-defined]


class SharingPeriodForm(forms.Form):
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs=DATE), error_messages=DATE_ERRORS
    )
    end = forms.DateField(
        label="To", widget=forms.DateInput(attrs=DATE), error_messages=DATE_ERRORS
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be after its start.")
        return data


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    theme = forms.ChoiceField(label="Theme", required=False)
    phase = forms.ChoiceField(
        label="Phase of care", required=False, choices=[("", "Any phase"), *c.ALL_PHASES.items()]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = cast(forms.ChoiceField, self.fields["theme"])
        theme.choices = [("", "Any theme"), *LearningTheme.objects.values_list("slug", "name")]
