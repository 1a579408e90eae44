from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from startups.models import Sector


class CallPageForm(WagtailAdminPageForm):
    # Stored as a JSON list of sector codes; edited as checkboxes.
    sectors = forms.MultipleChoiceField(
        label=_("sectors"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty for a call open to every sector."),
    )
