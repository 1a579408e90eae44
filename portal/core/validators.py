"""Checks and normalisations of the registry's Vietnamese identifiers and amounts."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ENTERPRISE_CODE = re.compile(r"^\d{10}(-\d{3})?$")
# Mobile numbers have 10 digits, landlines (02x area codes) 11, both with the leading 0.
VIETNAMESE_PHONE = re.compile(r"^0(\d{9}|2\d{9})$")
MONEY = re.compile(r"^\d{1,3}([., ]\d{3})+$|^\d+$")


def normalize_enterprise_code(value: str) -> str:
    return re.sub(r"\s+", "", value or "")


def validate_enterprise_code(value: str) -> None:
    if not ENTERPRISE_CODE.match(value or ""):
        raise ValidationError(
            _(
                "An enterprise code has 10 digits, or 13 with a branch suffix "
                "(for example 0101234567 or 0101234567-001)."
            ),
            code="enterprise_code",
        )


def normalize_phone(value: str) -> str:
    """`+84 912 345 678`, `0912.345.678` and `84912345678` all become `0912345678`."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if not digits:
        return ""
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not VIETNAMESE_PHONE.match(digits):
        raise ValidationError(
            _("Enter a Vietnamese phone number, for example 0912 345 678 or 024 3825 1234."),
            code="phone",
        )
    return digits


def parse_vnd(value: str) -> int | None:
    """`1.500.000.000`, `1,500,000,000`, `1 500 000 000` and `1500000000` are 1.5 billion VND."""
    text = (value or "").strip().removesuffix("VND").removesuffix("đ").strip()
    if not text:
        return None
    if text.startswith("-"):
        raise ValidationError(_("An amount of money cannot be negative."), code="negative")
    if not MONEY.match(text):
        raise ValidationError(
            _("Write amounts in whole VND, for example 1.500.000.000."), code="money"
        )
    return int(re.sub(r"[., ]", "", text))
