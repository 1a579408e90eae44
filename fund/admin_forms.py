"""Forms of the fund managers' pages in the Wagtail admin. They only shape the input: every rule
(transitions, notes, ticket sizes, conflicts, tranche totals, evidence) is checked by the
services, whose refusals the pages show on these forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from portal.core.forms import VNDField

from .models import Application, Assignment, Instrument

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DOCUMENT_INPUT = forms.ClearableFileInput(
    attrs={
        "accept": ".pdf,.xlsx,application/pdf,"
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    }
)


def _note(label, *, help_text="", max_length=4000) -> forms.CharField:
    # Optional here: a service that needs a note says so in its own words.
    return forms.CharField(
        label=label, help_text=help_text, widget=TEXTAREA, max_length=max_length, required=False
    )


# --- the application's stage ------------------------------------------------------------------


class StageForm(forms.Form):
    """A step of the pipeline. It carries the status the manager was looking at, so a step meant
    for one stage is never applied to the next one after a colleague moved the application."""

    seen_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, application: Application, **kwargs):
        kwargs["initial"] = {"seen_status": application.status, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class AdvanceForm(StageForm):
    note = _note(_("Note for the record"))


class RequestInfoForm(StageForm):
    note = _note(
        _("What the applicant must provide"),
        help_text=_("Required. Sent to the applicant, who answers from their application page."),
    )


class RejectForm(StageForm):
    note = _note(_("Reason"), help_text=_("Required. Sent to the applicant."))


class ApproveForm(StageForm):
    """The investment committee's decision and its terms, pre-filled with what was asked."""

    amount_vnd = VNDField(label=_("Amount approved (VND)"))
    instrument = forms.ChoiceField(label=_("Instrument"), choices=Instrument.choices)
    pre_money_valuation_vnd = VNDField(label=_("Pre-money valuation (VND)"))
    conditions = _note(_("Conditions"))
    decided_on = forms.DateField(label=_("Committee decision date"), widget=AdminDateInput)

    TERMS = ("amount_vnd", "instrument", "pre_money_valuation_vnd", "conditions", "decided_on")

    def __init__(self, *args, application: Application, **kwargs):
        kwargs["initial"] = {
            "amount_vnd": application.amount_requested_vnd,
            "instrument": application.instrument,
            "pre_money_valuation_vnd": application.pre_money_valuation_vnd,
            "decided_on": timezone.localdate(),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, application=application, **kwargs)

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.TERMS}


# --- reviewers --------------------------------------------------------------------------------


class ReviewerChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, flags: dict[int, list[str]], **kwargs):
        self.flags = flags
        super().__init__(*args, **kwargs)

    def label_from_instance(self, reviewer):
        name = reviewer.get_full_name() or reviewer.email
        label = f"{name} <{reviewer.email}>" if name != reviewer.email else name
        flags = self.flags.get(reviewer.pk)
        if flags:
            label += " — " + _("likely conflict: %(flags)s") % {"flags": "; ".join(flags)}
        return label


class AssignForm(forms.Form):
    """Chooses a reviewer among `candidates` (users, each with their likely conflicts). A reason
    to assign despite the flags is asked for once the service refused for a conflict."""

    override_reason = _note(
        _("Reason to assign despite the likely conflict"),
        help_text=_("Recorded on the assignment and in the audit log."),
        max_length=2000,
    )

    def __init__(self, *args, candidates, flags: dict[int, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "reviewer": ReviewerChoiceField(
                label=_("Reviewer"),
                queryset=candidates,
                flags=flags,
                empty_label=_("Choose a reviewer"),
            ),
            **self.fields,
        }
        # Set by the page when the service refuses for a likely conflict of interest.
        self.conflict_flags: list[str] = []

    @property
    def asks_for_override(self) -> bool:
        return bool(self.conflict_flags or self.data.get(self.add_prefix("override_reason")))


class UnassignForm(forms.Form):
    assignment = forms.ModelChoiceField(
        queryset=Assignment.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = application.assignments.select_related("reviewer")


# --- tranches ---------------------------------------------------------------------------------


class TrancheForm(forms.Form):
    """A tranche's amount, planned date and the conditions to meet before it is paid."""

    amount_vnd = VNDField(label=_("Amount (VND)"))
    planned_on = forms.DateField(label=_("Planned date"), widget=AdminDateInput)
    conditions = _note(
        _("Conditions and milestones"),
        help_text=_("What must be shown, with evidence, before this tranche is paid."),
    )

    FIELDS = ("amount_vnd", "planned_on", "conditions")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class TrancheNoteForm(forms.Form):
    note = _note(_("Note for the record"))


class HoldForm(forms.Form):
    note = _note(_("Why the tranche is held"), help_text=_("Required. Sent to the startup."))


class DisburseForm(forms.Form):
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=AdminDateInput)

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"disbursed_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence (PDF or XLSX)"), widget=DOCUMENT_INPUT, allow_empty_file=False
    )
    # Optional here so that the service's own message explains what is missing.
    note = forms.CharField(
        label=_("What it shows"), max_length=300, required=False, help_text=_("Required.")
    )
