"""The applicant's forms: which startup applies, the application's content with the call's
questions and the co-investors, documents, answers to the fund's requests, withdrawal and
tranche evidence.

Forms parse and check what a person typed; every write goes through `services`, whose refusals
the views put back on these forms.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.formatting import format_vnd_compact
from portal.core.forms import VNDField
from startups.models import Startup

from .models import Application, AttachmentKind, CallPage, CoInvestor
from .services import APPLICATION_FIELDS, ATTACHMENT_MAX_BYTES

DOCUMENT_WIDGET = forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx"})
QUESTION_PREFIX = "question_"


def _document_help(field: forms.Field, who_sees: str = "") -> None:
    # Built per request: the size reads in the visitor's language.
    limit = gettext("PDF or XLSX, at most %(size)s.") % {
        "size": filesizeformat(ATTACHMENT_MAX_BYTES)
    }
    field.help_text = f"{limit} {who_sees}".strip()


def _fieldset(key, legend, description, fields):
    return {"key": key, "legend": legend, "description": description, "fields": fields}


class StartForm(forms.Form):
    """Which of the user's verified startups applies to the call. Startups that already applied
    stay valid choices, so that the service can say so."""

    startup = forms.ModelChoiceField(
        label=_("Startup"),
        queryset=Startup.objects.none(),
        error_messages={
            "required": _("Choose the startup that applies."),
            "invalid_choice": _(
                "Only a verified startup you belong to can apply. Choose one of them; a startup "
                "the department has not verified yet can apply once it is verified."
            ),
        },
    )

    def __init__(self, *args, startups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["startup"].queryset = Startup.objects.filter(pk__in=[s.pk for s in startups])


class ApplicationForm(forms.ModelForm):
    """The application's content. A draft may be saved incomplete; submission checks it all."""

    FIELDSETS = (
        _fieldset(
            "investment",
            _("What you ask the fund for"),
            _("The amount must be within the call's ticket range."),
            ("amount_requested_vnd", "instrument", "pre_money_valuation_vnd", "use_of_funds"),
        ),
        _fieldset(
            "startup",
            _("Your startup"),
            _("What you have achieved so far and who will do the work."),
            ("traction", "team"),
        ),
    )

    class Meta:
        model = Application
        fields = APPLICATION_FIELDS
        field_classes = {"amount_requested_vnd": VNDField, "pre_money_valuation_vnd": VNDField}
        widgets = {
            "use_of_funds": forms.Textarea(attrs={"rows": 5}),
            "traction": forms.Textarea(attrs={"rows": 5}),
            "team": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "pre_money_valuation_vnd": _(
                "The company's value before this investment, in VND: 40.000.000.000."
            ),
            "use_of_funds": _("What the money pays for, and over how many months."),
            "traction": _("Customers, revenue, growth, pilots and partnerships, with figures."),
            "team": _("The founders and key people, their roles and their experience."),
        }

    def __init__(self, *args, call: CallPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["amount_requested_vnd"].help_text = _(
            "In VND, from %(min)s to %(max)s for this call: 5.000.000.000."
        ) % {
            "min": format_vnd_compact(call.ticket_min_vnd),
            "max": format_vnd_compact(call.ticket_max_vnd),
        }
        instrument = self.fields["instrument"]
        instrument.choices = [("", _("Not chosen yet")), *instrument.choices[1:]]
        self.questions = list(call.questions.all())
        answers = self.instance.answers or {}
        for question in self.questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = forms.CharField(
                label=question.text,
                help_text=question.help_text,
                required=False,
                initial=answers.get(str(question.pk), ""),
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def fieldsets(self):
        for fieldset in self.FIELDSETS:
            yield {**fieldset, "fields": [self[name] for name in fieldset["fields"]]}
        if self.questions:
            yield _fieldset(
                "questions",
                _("The call's questions"),
                _("Answer each question the call asks."),
                [self[f"{QUESTION_PREFIX}{question.pk}"] for question in self.questions],
            )

    def application_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS}

    def answers(self) -> dict:
        return {
            str(question.pk): self.cleaned_data[f"{QUESTION_PREFIX}{question.pk}"]
            for question in self.questions
        }


class CoInvestorForm(forms.ModelForm):
    class Meta:
        model = CoInvestor
        fields = ("name", "amount_vnd")
        field_classes = {"amount_vnd": VNDField}
        help_texts = {"amount_vnd": _("Committed, in VND.")}


class BaseCoInvestorFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this co-investor")


# Empty spare rows are ignored; saved rows can be ticked for removal.
CoInvestorFormSet = forms.formset_factory(
    CoInvestorForm,
    formset=BaseCoInvestorFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
)


def co_investor_formset(application: Application, data=None) -> forms.BaseFormSet:
    initial = [
        {"name": co_investor.name, "amount_vnd": co_investor.amount_vnd}
        for co_investor in application.co_investors.all()
    ]
    return CoInvestorFormSet(data, initial=initial, prefix="co_investors")


def co_investors_from(formset: forms.BaseFormSet) -> list[tuple[str, int]]:
    """The rows kept: filled in and not marked for removal."""
    return [
        (form.cleaned_data["name"], form.cleaned_data["amount_vnd"])
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("name")
    ]


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("Document"), widget=DOCUMENT_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _document_help(
            self.fields["file"],
            gettext("Only your team, the fund's managers and its assigned reviewers can open it."),
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Answer what the fund asked. Upload any document it asked for above before you send "
            "your answer."
        ),
        error_messages={"required": _("Write your answer to the fund's request.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The fund sees this note in the application's history."),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence"), widget=DOCUMENT_WIDGET)
    note = forms.CharField(
        label=_("What it shows"),
        max_length=300,
        help_text=_("For example: the signed contract with the pilot customer."),
        error_messages={"required": _("Say what this evidence shows.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _document_help(self.fields["file"])
