"""Forms of the dashboard's staff pages. They only shape the input: the services check every rule
(a second approver, no future dates, a note on corrections, evidence by content)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from .models import Indicator, Method
from .sources import source_choices

TEXTAREA = forms.Textarea(attrs={"rows": 3})
EVIDENCE_INPUT = forms.ClearableFileInput(
    attrs={"accept": ".pdf,.xlsx,.png,.jpg,.jpeg,.webp,application/pdf,image/*"}
)


def _sources():
    return [("", _("— none (entered by staff) —")), *source_choices()]


class IndicatorEditForm(WagtailAdminModelForm):
    """What staff may change on an indicator: its names, target, direction, source and place.
    Its code, unit and method stay as created, so its frozen history keeps its meaning."""

    source_key = forms.ChoiceField(
        label=_("Computed source"),
        required=False,
        choices=_sources,
        help_text=_("Only for a computed indicator: the figure an app of the portal provides."),
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "name_en",
            "source_key",
            "target_value",
            "target_deadline",
            "direction",
            "target_source",
            "position",
            "is_public",
        ]
        widgets = {"target_deadline": AdminDateInput}


class IndicatorCreateForm(IndicatorEditForm):
    class Meta(IndicatorEditForm.Meta):
        fields = ["code", "name", "name_en", "unit", "method", *IndicatorEditForm.Meta.fields[2:]]


class ValueForm(forms.Form):
    """A value of an indicator entered by staff."""

    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.filter(method=Method.MANUAL),
        help_text=_("Only indicators entered by staff; the others are computed."),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=2)
    as_of = forms.DateField(label=_("As of"), widget=AdminDateInput)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("The document or agency the value comes from."),
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF, XLSX or image)"), required=False, widget=EVIDENCE_INPUT
    )
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA, max_length=4000)


class CorrectionForm(ValueForm):
    """A correction of an approved value: a new value, with the reason required."""

    note = forms.CharField(
        label=_("What the correction changes and why"), widget=TEXTAREA, max_length=4000
    )

    def __init__(self, *args, corrected, **kwargs):
        kwargs["initial"] = {
            "indicator": corrected.indicator_id,
            "value": corrected.value,
            "as_of": corrected.as_of,
            "source": corrected.source,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        # The indicator is the corrected value's own.
        del self.fields["indicator"]


class DecisionForm(forms.Form):
    """The second approver's decision; the button pressed says which."""

    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=TEXTAREA,
        max_length=4000,
        help_text=_("Required to reject: the person who entered the value is told why."),
    )


class SnapshotForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("Why this snapshot is taken, for example a meeting it is for."),
    )


class ConfirmForm(forms.Form):
    """A page whose only input is the button."""
