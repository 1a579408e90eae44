"""Form fields for what people in Vietnam type: amounts in VND, phone numbers, enterprise codes."""

from django import forms

from .exceptions import PortalError
from .validators import (
    normalize_enterprise_code,
    normalize_phone,
    parse_vnd,
    validate_enterprise_code,
)


class VNDField(forms.CharField):
    """A whole amount of VND typed the Vietnamese way: `1.500.000.000`, `1,500,000,000`,
    `1 500 000 000` or plain digits."""

    def __init__(self, **kwargs):
        # Model number fields pass bounds meant for an IntegerField; the parser checks the sign
        # and the model the range.
        for name in ("max_length", "min_value", "max_value", "step_size"):
            kwargs.pop(name, None)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value):
        return parse_vnd(super().to_python(value))


class PhoneField(forms.CharField):
    """A Vietnamese phone number, stored as digits with the leading 0."""

    def __init__(self, **kwargs):
        # People type spaces, dots and +84; the normalised number fits the model's length.
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class EnterpriseCodeField(forms.CharField):
    default_validators = [validate_enterprise_code]

    def to_python(self, value):
        return normalize_enterprise_code(super().to_python(value))


def show_refusal(form, error) -> None:
    """Puts a service's refusal (a ValidationError or PortalError) on `form`, next to the field
    it is about when the form has that field."""
    if isinstance(error, PortalError):
        form.add_error(None, str(error.message))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refusal_text(error) -> str:
    """A service's refusal as one sentence, for a message on a page without a form."""
    if isinstance(error, PortalError):
        return str(error.message)
    return " ".join(str(message) for message in error.messages)
