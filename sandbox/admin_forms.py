"""Forms of the department's sandbox pages in the Wagtail admin. They only shape the input: every
rule (transitions, decision numbers, dates, documents) is checked by the services."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from . import workflow
from .models import Agency, AmendmentKind, Application, Domain, Entry, TestSpace

TEXTAREA = forms.Textarea(attrs={"rows": 4})
PDF_INPUT = forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"})


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class ReturnForm(forms.Form):
    """Asks the applicant for more information, or rejects the application: both say why."""

    INFO, REJECT = "request_info", "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (INFO, _("Request more information")),
            (REJECT, _("Reject the application")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the applicant"),
        help_text=_("Required: what is missing, or why the application is rejected."),
        widget=TEXTAREA,
        max_length=4000,
    )


class ApprovalForm(forms.Form):
    """Approval by decision: the decision, and the terms it grants (the application's, which the
    decision may narrow)."""

    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=40,
        help_text=_("As issued, for example 123/QĐ-UBND or 45/2026/QĐ-SKHCN."),
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=AdminDateInput)
    agency = forms.ChoiceField(label=_("Supervising agency"), choices=Agency.choices)
    scope = forms.CharField(label=_("Scope"), widget=TEXTAREA)
    exemptions = forms.CharField(label=_("Exemptions granted"), widget=TEXTAREA)
    conditions = forms.CharField(label=_("Conditions"), widget=TEXTAREA)
    start_date = forms.DateField(label=_("Start date"), widget=AdminDateInput)
    end_date = forms.DateField(label=_("End date"), widget=AdminDateInput)
    document = forms.FileField(label=_("Decision document (PDF)"), required=False, widget=PDF_INPUT)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    test_space = forms.ChoiceField(label=_("Test space"), choices=TestSpace.choices)
    test_area = forms.CharField(label=_("Area of the test"), max_length=255, required=False)
    customer_cap = forms.IntegerField(label=_("Most customers"), min_value=1, required=False)
    transaction_cap_vnd = forms.IntegerField(
        label=_("Largest transaction (VND)"), min_value=0, required=False
    )

    TERMS = ("domain", "test_space", "test_area", "customer_cap", "transaction_cap_vnd")
    DECISION = (
        "decision_number",
        "decision_date",
        "agency",
        "scope",
        "exemptions",
        "conditions",
        "start_date",
        "end_date",
        "document",
    )

    def __init__(self, *args, application: Application, **kwargs):
        self.application = application
        today = timezone.localdate()
        kwargs["initial"] = {
            **{name: getattr(application, name) for name in self.TERMS},
            "decision_date": today,
            "start_date": today,
            "end_date": _add_months(today, application.duration_months),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        # A decision grants at most what was asked for: no cap may be wider than the application's.
        for name in ("customer_cap", "transaction_cap_vnd"):
            asked, granted = getattr(self.application, name), cleaned.get(name)
            if asked is not None and (granted is None or granted > asked):
                self.add_error(
                    name,
                    _("The decision may narrow the cap asked for (%(asked)s), not widen it.")
                    % {"asked": f"{asked:,}".replace(",", ".")},
                )
        return cleaned

    def decision_fields(self):
        return [self[name] for name in self.DECISION]

    def terms_fields(self):
        return [self[name] for name in self.TERMS]

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.TERMS}


class EntryStepForm(forms.Form):
    """The next step of a register entry, with the decision behind it."""

    kind = forms.ChoiceField(
        label=_("Step"),
        # Every step is accepted here; the service refuses one not allowed from the status.
        choices=[(kind, AmendmentKind(kind).label) for kind in workflow.ENTRY_STEPS],
        widget=forms.RadioSelect,
    )
    effective_on = forms.DateField(label=_("Effective on"), widget=AdminDateInput)
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=40,
        required=False,
        help_text=_("Required except to record the start of testing."),
    )
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=AdminDateInput)
    document = forms.FileField(label=_("Decision document (PDF)"), required=False, widget=PDF_INPUT)
    new_end_date = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=AdminDateInput,
        help_text=_("For an extension: later than the current end date."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=TEXTAREA,
        max_length=4000,
        help_text=_("Published in the entry's history; required for a suspension or revocation."),
    )
    outcome_report = forms.CharField(
        label=_("Outcome report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required at exit or graduation; published on the register."),
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, entry: Entry, **kwargs):
        kwargs["initial"] = {"effective_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        # Offer only the steps allowed now.
        self.fields["kind"].widget.choices = [
            (kind, AmendmentKind(kind).label) for kind in workflow.entry_steps_from(entry.status)
        ]
