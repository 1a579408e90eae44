"""Forms of the department's exchange pages in the Wagtail admin. They only shape the input:
every rule (transitions, the note a return needs) is checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewForm(forms.Form):
    """Publishes a listing under review for 12 months, or returns it to its owner with what to
    change."""

    PUBLISH, RETURN = "publish", "return"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (PUBLISH, _("Publish on the exchange for 12 months")),
            (RETURN, _("Return to the owner for changes")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to publish or to return the listing.")},
    )
    note = forms.CharField(
        label=_("Note to the owner"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to return the listing: say what to change."),
    )
