"""Forms of the reviewers' pages in the Wagtail admin. They only shape the input: who may review,
when, and what a complete review is are checked by the services."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.validators import normalize_enterprise_code
from startups.models import Startup

from .models import Criterion, Recommendation

TEXTAREA = forms.Textarea(attrs={"rows": 3})
SCORES = [(score, str(score)) for score in range(1, 6)]


class DeclarationForm(forms.Form):
    """The reviewer's declaration before seeing anything of the application."""

    NONE, CONFLICT = "none", "conflict"
    declaration = forms.ChoiceField(
        label=_("Declaration"),
        choices=[
            (NONE, _("I have no conflict of interest with this startup")),
            (CONFLICT, _("I have a conflict of interest with this startup")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("The conflict"),
        required=False,
        widget=TEXTAREA,
        max_length=2000,
        help_text=_(
            "Required if you have a conflict: your tie to the startup or its people. You will "
            "not see the application."
        ),
    )

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["declaration"] == self.CONFLICT


class RubricForm(forms.Form):
    """A score from 1 to 5 and a comment for each criterion, a recommendation and an overall
    comment. Score fields are named after the criteria so the service's refusals land on them."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=TEXTAREA, max_length=4000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[criterion.value] = forms.TypedChoiceField(
                label=_("Score for %(criterion)s") % {"criterion": criterion.label.lower()},
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"{criterion.value}_comment"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.label.lower()},
                required=False,
                widget=TEXTAREA,
                max_length=2000,
            )

    def criteria(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (criterion.label, self[criterion.value], self[f"{criterion.value}_comment"])
            for criterion in Criterion
        ]

    def scores(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {
            criterion.value: (data[criterion.value], data[f"{criterion.value}_comment"])
            for criterion in Criterion
        }


class AffiliationForm(forms.Form):
    """A tie the reviewer declares with a startup, found by its enterprise code or exact name."""

    startup = forms.CharField(
        label=_("Startup"),
        max_length=200,
        help_text=_("Its enterprise code (for example 0101234567) or its exact registered name."),
    )
    note = forms.CharField(
        label=_("Your tie to the startup"),
        max_length=300,
        help_text=_("For example: adviser since 2024, shareholder, a founder is a relative."),
    )

    def clean_startup(self) -> Startup:
        typed = self.cleaned_data["startup"].strip()
        matches = list(
            Startup.objects.filter(
                Q(enterprise_code=normalize_enterprise_code(typed)) | Q(name__iexact=typed)
            )[:2]
        )
        if not matches:
            raise forms.ValidationError(
                _("No startup with this enterprise code or name is registered on the portal.")
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several startups have this name; give the enterprise code instead.")
            )
        return matches[0]
