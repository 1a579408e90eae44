"""The owners' forms on the exchange: a listing as its owner thinks of it, its documents and
images, and the answers to an enquiry (a message, a declined enquiry, an agreed deal).

The forms parse and check what a person typed; the rules of the model's `clean()` run on the
listing form too, and every write goes through `services`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import VNDField

from .models import TRL_LABELS, DeclineReason, Kind, Listing, PriceType
from .services import LISTING_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IMAGE_ACCEPT = "image/png,image/jpeg,image/webp"
DOCUMENT_ACCEPT = ".pdf,.xlsx,application/pdf"

# What each readiness level means, in the words of the EU/NASA scale owners know.


def _fieldset(key, legend, description, fields):
    return {"key": key, "legend": legend, "description": description, "fields": fields}


class ListingForm(forms.ModelForm):
    FIELDSETS = (
        _fieldset(
            "kind",
            _("What you list"),
            _(
                "An offer is a technology you license or transfer; a request describes a "
                "technology your organisation is looking for."
            ),
            ("kind",),
        ),
        _fieldset(
            "owner",
            _("Who owns it"),
            _("The organisation that holds the technology or needs it, as shown to the public."),
            ("owner_organisation", "owner_type"),
        ),
        _fieldset(
            "technology",
            _("The technology"),
            _(
                "The summary is public. Keep confidential details for the documents shown only "
                "after the confidentiality agreement."
            ),
            ("title", "summary", "description", "sector", "trl"),
        ),
        _fieldset(
            "ip",
            _("Intellectual property"),
            _(
                "For a patent, a utility solution or a filed application, give its number, the "
                "jurisdiction and the filing date; leave them empty for know-how or none."
            ),
            ("ip_status", "ip_number", "ip_jurisdiction", "ip_filed_on", "ip_expires_on"),
        ),
        _fieldset(
            "terms",
            _("Terms"),
            _(
                "A fixed-price research or non-exclusive licence can be bought online; other "
                "terms are agreed through enquiries."
            ),
            ("licensing_model", "price_type", "price_vnd"),
        ),
    )

    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"),
        choices=[("", _("Choose a level")), *TRL_LABELS.items()],
        coerce=int,
        empty_value=None,
        error_messages={
            "required": _("Give the technology readiness level (TRL 1-9)."),
            "invalid_choice": _("The technology readiness level is a number from 1 to 9."),
        },
        help_text=_("How far the technology is from use in operation, from 1 to 9."),
    )

    class Meta:
        model = Listing
        fields = LISTING_FIELDS
        field_classes = {"price_vnd": VNDField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "ip_filed_on": DATE_INPUT,
            "ip_expires_on": DATE_INPUT,
        }
        help_texts = {
            "owner_organisation": _("For example: Hanoi University of Science and Technology."),
            "title": _("In a few words, for example: low-cost PM2.5 air quality sensor."),
            "description": _(
                "What it does, how it works, what it has been tested on and who it suits."
            ),
            "ip_number": _("Required for a registered title or a filed application."),
            "ip_jurisdiction": _("Where it is registered, for example Vietnam or PCT."),
            "ip_filed_on": _("Required for a registered title or a filed application."),
            "ip_expires_on": _("When the protection ends, if known."),
            "price_vnd": _("In VND, for a fixed price only: 150.000.000."),
        }
        error_messages = {
            "licensing_model": {"required": _("Choose a licensing model.")},
            "ip_status": {"required": _("Say what protects the technology, or choose none.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Two choices, one of which must be made: no empty "---------" entry.
        self.fields["kind"].choices = Kind.choices
        self.fields["price_type"].choices = PriceType.choices
        self.fields["summary"].widget.attrs["maxlength"] = 1000

    def fieldsets(self):
        for fieldset in self.FIELDSETS:
            yield {**fieldset, "fields": [self[name] for name in fieldset["fields"]]}

    def listing_fields(self) -> dict:
        """What `listing_create`/`listing_update` take."""
        return {name: self.cleaned_data[name] for name in LISTING_FIELDS}


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: technical datasheet, test report."),
    )
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF or XLSX, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_(
            "Shown only to signed-in users who accepted the confidentiality agreement; other "
            "documents are public while the listing is published."
        ),
    )


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_("PNG, JPEG or WebP, at most 5 MB. Shown on the public listing."),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=200,
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *DeclineReason.choices],
        error_messages={"required": _("Choose a reason.")},
    )
    note = forms.CharField(
        label=_("Note to the sender"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “Other”."),
    )


class AgreeForm(forms.Form):
    amount_vnd = VNDField(
        label=_("Agreed amount (VND)"),
        help_text=_(
            "The total agreed with the sender, for example 300.000.000. They can then pay it "
            "online."
        ),
        error_messages={"required": _("Give the agreed amount in VND.")},
    )


class EnquiryForm(forms.Form):
    """An expression of interest. An empty message is refused by the service, with its reason."""

    organisation = forms.CharField(label=_("Your organisation"), max_length=200, required=False)
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        required=False,
        help_text=_(
            "What interests you, what you would use the technology for, and what you need from "
            "the owner. Do not include confidential information."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
