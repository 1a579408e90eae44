"""Forms of the public register: the concern report, protected against spam by a honeypot field
and a minimum fill time carried in a signed timestamp."""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import Concern

SIGNING_SALT = "sandbox.concern.form"
MIN_FILL_SECONDS = 3  # a person reads the page and types; a script posts at once
MAX_FORM_AGE = 24 * 3600
HONEYPOT = "website"
EXPIRED = _("This form has expired. Please check your report and send it again.")


def form_token(issued_at: float | None = None) -> str:
    """When the form was shown, signed so it cannot be back-dated."""
    return signing.dumps(issued_at if issued_at is not None else time.time(), salt=SIGNING_SALT)


class ConcernForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=Concern._meta.get_field("name").max_length
    )
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("We acknowledge your report at this address. It is never published."),
    )
    message = forms.CharField(
        label=_("What happened"),
        max_length=Concern._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say what the participant did, when and where. Staff of the supervising department "
            "read every report; it is not published."
        ),
    )
    # Hidden from people (and from screen readers); scripts that fill every field fill it too.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = form_token()

    @property
    def is_spam(self) -> bool:
        """A filled honeypot: answered like a success, nothing kept."""
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_started(self):
        try:
            issued_at = float(
                signing.loads(self.cleaned_data["started"], salt=SIGNING_SALT, max_age=MAX_FORM_AGE)
            )
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise forms.ValidationError(EXPIRED, code="expired") from error
        age = time.time() - issued_at
        if age > MAX_FORM_AGE:
            raise forms.ValidationError(EXPIRED, code="expired")
        if age < MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _("That was sent very quickly. Please check your report and send it again."),
                code="too_fast",
            )
        return issued_at

    def refresh_token(self) -> None:
        """A re-shown form gets a new timestamp, so an expired one can be sent again."""
        self.data = self.data.copy()
        self.data["started"] = form_token()
