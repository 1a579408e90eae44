"""The applicant's form: an application for controlled testing, as the applicant thinks of it.

The form parses and checks what a person typed; every write goes through `services`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import EnterpriseCodeField, VNDField
from startups.models import Startup
from startups.selectors import memberships_of

from .models import Application
from .services import APPLICATION_FIELDS


def _fieldset(key, legend, description, fields):
    return {"key": key, "legend": legend, "description": description, "fields": fields}


class StartupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, startup):
        return f"{startup.name} ({startup.enterprise_code})"


class ApplicationForm(forms.ModelForm):
    FIELDSETS = (
        _fieldset(
            "who",
            _("Who applies"),
            _(
                "The company that will run the test, as written in its enterprise registration "
                "certificate."
            ),
            ("organisation_name", "enterprise_code", "startup"),
        ),
        _fieldset(
            "what",
            _("What you want to test"),
            _("The product or service, and the rule that stands in its way today."),
            ("title", "technology", "regulation_to_relax"),
        ),
        _fieldset(
            "where",
            _("Where, for how long and how much"),
            _(
                "The limits you propose. The decision may narrow them; they are published in the "
                "register if the test is approved."
            ),
            (
                "domain",
                "test_space",
                "test_area",
                "duration_months",
                "customer_cap",
                "transaction_cap_vnd",
            ),
        ),
        _fieldset(
            "safeguards",
            _("Safeguards"),
            _("How customers and the public are protected, and how the test ends."),
            ("risk_measures", "consumer_protection", "exit_plan"),
        ),
    )

    class Meta:
        model = Application
        fields = APPLICATION_FIELDS
        field_classes = {
            "enterprise_code": EnterpriseCodeField,
            "transaction_cap_vnd": VNDField,
            "startup": StartupChoiceField,
        }
        widgets = {
            "enterprise_code": forms.TextInput(attrs={"inputmode": "numeric"}),
            "technology": forms.Textarea(attrs={"rows": 5}),
            "regulation_to_relax": forms.Textarea(attrs={"rows": 4}),
            "risk_measures": forms.Textarea(attrs={"rows": 4}),
            "consumer_protection": forms.Textarea(attrs={"rows": 4}),
            "exit_plan": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "organisation_name": _("The Vietnamese name, as registered."),
            "enterprise_code": _("10 digits, or 13 with a branch suffix: 0101234567-001."),
            "title": _("In a few words, for example: autonomous delivery vehicles in a new town."),
            "technology": _("What it does, how it works and who uses it."),
            "regulation_to_relax": _(
                "The legal document and article, what it requires, and why the test cannot "
                "comply with it."
            ),
            "duration_months": _("From 1 to 24 months."),
            "customer_cap": _("The most customers or users taking part; leave empty if none."),
            "transaction_cap_vnd": _(
                "The largest single transaction, in VND: 1.500.000.000; leave empty if none."
            ),
            "risk_measures": _("What could go wrong, and what you do to prevent or limit it."),
            "consumer_protection": _(
                "How customers are informed, how they complain and how they are compensated."
            ),
            "exit_plan": _(
                "How the test stops, at its end or if it is suspended, without harm to customers."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the startups the applicant belongs to; an application already linked to one keeps
        # it as a choice, so that the service can say why it no longer fits.
        mine = memberships_of(user).values("startup_id")
        startups = Startup.objects.filter(pk__in=mine)
        if self.instance.startup_id:
            startups = startups | Startup.objects.filter(pk=self.instance.startup_id)
        # The model's validators bound these; the browser's hints should say the same.
        self.fields["duration_months"].widget.attrs.update(min=1, max=24)
        self.fields["customer_cap"].widget.attrs.update(min=1)
        startup = self.fields["startup"]
        startup.queryset = startups.order_by("name")
        startup.required = False
        startup.empty_label = _("None: the company is not in the startup registry")
        startup.help_text = _(
            "If the company is one of the startups you manage in the registry, choose it: the "
            "register entry will link to its profile. Nothing is copied from it."
        )
        startup.error_messages = {
            **startup.error_messages,
            "invalid_choice": _("Choose one of the startups you belong to, or none."),
        }

    def fieldsets(self):
        for fieldset in self.FIELDSETS:
            yield {**fieldset, "fields": [self[name] for name in fieldset["fields"]]}

    def application_fields(self) -> dict:
        """What `application_create`/`application_update` take."""
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS}
