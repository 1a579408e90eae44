"""Money the Vietnamese way: `1.500.000 ₫`; large sums in tỷ đồng / billion VND."""

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

BILLION = 1_000_000_000
MILLION = 1_000_000


def _group_thousands(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


def _decimal_separator() -> str:
    return "." if (get_language() or "vi").startswith("en") else ","


def format_vnd(amount: int | Decimal | None) -> str:
    if amount is None:
        return "—"
    value = int(round(Decimal(amount)))
    sign = "-" if value < 0 else ""
    return f"{sign}{_group_thousands(abs(value), '.')} ₫"


def format_vnd_compact(amount: int | Decimal | None) -> str:
    """Sums of a billion or more in billions, of a million or more in millions."""
    if amount is None:
        return "—"
    value = Decimal(amount)
    if abs(value) >= BILLION:
        unit, divisor = _("billion VND"), BILLION
    elif abs(value) >= MILLION:
        unit, divisor = _("million VND"), MILLION
    else:
        return format_vnd(value)
    scaled = (value / divisor).quantize(Decimal("0.1"))
    whole, _sep, fraction = f"{abs(scaled):f}".partition(".")
    number = _group_thousands(int(whole), "." if _decimal_separator() == "," else ",")
    if fraction and fraction.strip("0"):
        number = f"{number}{_decimal_separator()}{fraction.rstrip('0')}"
    sign = "-" if scaled < 0 else ""
    return f"{sign}{number} {unit}"
