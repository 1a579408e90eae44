"""Cells of the CSV files the portal publishes: text a spreadsheet shows as written."""

from datetime import date

# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@")


def cell_text(value) -> str:
    """`value` as a CSV cell: dates in ISO form, and text that would start a formula prefixed
    with "'" so spreadsheets keep it as text (the startup import strips the prefix again)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
