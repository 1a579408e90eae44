"""Forms of the founder's workspace: the startup profile, invitations, claims and documents.

Forms parse and check what a person typed; every write goes through `services`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.core.forms import EnterpriseCodeField, PhoneField, VNDField
from portal.core.models import Commune, CommuneKind

from .models import MemberRole, Sector, Startup
from .services import PROFILE_FIELDS

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
# Shown only to the startup's members and department staff.
PRIVATE_FIELDS = frozenset(
    {
        "revenue_vnd",
        "revenue_year",
        "revenue_source",
        "contact_name",
        "contact_email",
        "contact_phone",
    }
)


def _commune_choices() -> list:
    """Wards, then communes, each in alphabetical order whatever the diacritics."""
    groups = {CommuneKind.WARD: [], CommuneKind.COMMUNE: []}
    for pk, kind, full_name in Commune.objects.order_by("folded_name").values_list(
        "pk", "kind", "full_name"
    ):
        groups[kind].append((pk, full_name))
    return [
        ("", _("Choose the ward or commune")),
        (_("Wards"), groups[CommuneKind.WARD]),
        (_("Communes"), groups[CommuneKind.COMMUNE]),
    ]


def _fieldset(key, legend, description, fields):
    return {"key": key, "legend": legend, "description": description, "fields": fields}


class StartupProfileForm(forms.ModelForm):
    """The whole profile, organised as the founder thinks of it."""

    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every sector the startup works in."),
        error_messages={"required": _("Choose at least one sector.")},
    )

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("The full address, starting with https://"),
    )

    FIELDSETS = (
        _fieldset(
            "identity",
            _("Identity"),
            _("As written in the enterprise registration certificate."),
            ("name", "english_name", "enterprise_code", "legal_form", "founded_on", "logo"),
        ),
        _fieldset(
            "location",
            _("Location"),
            _("Where the registered office is, in one of Hanoi's 126 wards and communes."),
            ("commune", "address"),
        ),
        _fieldset(
            "activity",
            _("Activity"),
            _("What the startup does; this is what the public directory shows."),
            (
                "sectors",
                "stage",
                "team_size",
                "website",
                "pitch",
                "description",
                "products",
                "ip_held",
                "support_received",
            ),
        ),
        _fieldset(
            "money",
            _("Funding and revenue"),
            _(
                "Funding raised is public. Revenue is private: only the department and your "
                "team see it. It counts towards the city's target when it is audited or verified "
                "by the tax authority."
            ),
            ("funding_raised_vnd", "revenue_vnd", "revenue_year", "revenue_source"),
        ),
        _fieldset(
            "contact",
            _("Contact"),
            _(
                "Private: only the department and your team see this. The department writes to "
                "this address, and someone claiming the startup can receive a code there."
            ),
            ("contact_name", "contact_email", "contact_phone"),
        ),
    )

    class Meta:
        model = Startup
        fields = PROFILE_FIELDS
        field_classes = {
            "enterprise_code": EnterpriseCodeField,
            "funding_raised_vnd": VNDField,
            "revenue_vnd": VNDField,
            "contact_phone": PhoneField,
        }
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pitch": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "products": forms.Textarea(attrs={"rows": 4}),
            "ip_held": forms.Textarea(attrs={"rows": 3}),
            "support_received": forms.Textarea(attrs={"rows": 3}),
            "enterprise_code": forms.TextInput(attrs={"inputmode": "numeric"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "name": _("The Vietnamese name, as registered."),
            "english_name": _("If the startup also uses an English name."),
            "founded_on": _("The date on the enterprise registration certificate."),
            "logo": _("PNG, JPEG or WebP, at most 2 MB. Shown on the public profile."),
            "address": _("House number and street."),
            "stage": _("Idea and pre-seed: no product on the market yet."),
            "team_size": _("Everyone working for the startup, founders included."),
            "pitch": _("One or two sentences, at most 300 characters."),
            "ip_held": _("Patents, utility solutions, trademarks, software copyrights."),
            "support_received": _("Incubators, accelerators and programmes you took part in."),
            "funding_raised_vnd": _("All investment received to date, in VND: 1.500.000.000."),
            "revenue_vnd": _("Annual revenue in VND, for the year below."),
            "revenue_source": _("Where the revenue figure comes from."),
            "contact_phone": _("For example 0912 345 678 or 024 3825 1234."),
        }

    def __init__(self, *args, lock_enterprise_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["sectors"].initial = self.instance.sector_codes
        self.fields["commune"].choices = _commune_choices()
        if lock_enterprise_code:
            code = self.fields["enterprise_code"]
            code.disabled = True
            code.help_text = _(
                "The enterprise code of a verified startup can only be changed by the "
                "department; write to them."
            )
        for name in PRIVATE_FIELDS:
            self.fields[name].private = True

    def fieldsets(self):
        for fieldset in self.FIELDSETS:
            yield {**fieldset, "fields": [self[name] for name in fieldset["fields"]]}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # An untouched logo is the stored file; only a new upload is checked.
        image = getattr(logo, "image", None)
        if image is None:
            return logo
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(logo.size), "limit": filesizeformat(LOGO_MAX_BYTES)}
            )
        if image.format not in LOGO_FORMATS:
            raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
        return logo

    def profile_fields(self) -> dict:
        """What `startup_create`/`startup_update` take."""
        fields = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        # A cleared or absent logo is stored as no file.
        if not fields["logo"]:
            fields["logo"] = ""
        return fields


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("They get a link to join; it stays valid for 14 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        help_text=_("Owners can also invite and remove members."),
    )


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_(
            "PDF or XLSX: registration certificate, financial statements, awards. Only the "
            "department and your team can open them."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx"}),
    )


class ClaimFindForm(forms.Form):
    enterprise_code = EnterpriseCodeField(
        label=_("Enterprise code"),
        max_length=20,
        help_text=_("10 digits, or 13 with a branch suffix: 0101234567-001."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class ClaimCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=6,
        min_length=6,
        help_text=_("The six digits in the email."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


class ClaimReviewForm(forms.Form):
    evidence = forms.CharField(
        label=_("Why this startup is yours"),
        help_text=_(
            "Your position in the startup and how the department can check it, for example the "
            "legal representative named in the registration certificate."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
