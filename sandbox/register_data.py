"""The register's machine-readable form, one definition for the open-data API and the JSON and
CSV downloads of the register and of each entry: public fields only, named one by one, labels in
the portal's default language (Vietnamese) whichever page language linked to them."""

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import translation

from portal.core.spreadsheets import cell_text

from .models import Amendment, Entry
from .selectors import entries_by_ids

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

Absolute = Callable[[str], str]  # request.build_absolute_uri

# Fields whose value is a choice: {"code", "label"} in JSON, `<name>` and `<name>_label` in CSV.
ENTRY_FIELDS = (
    "slug",
    "url",
    "participant",
    "enterprise_code",
    "startup_url",
    "title",
    "domain",
    "agency",
    "status",
    "decision_number",
    "decision_date",
    "scope",
    "exemptions",
    "conditions",
    "customer_cap",
    "transaction_cap_vnd",
    "test_space",
    "test_area",
    "start_date",
    "end_date",
    "ended_on",
    "outcome_report",
    "lessons_learned",
)
HISTORY_FIELDS = (
    "effective_on",
    "kind",
    "decision_number",
    "decision_date",
    "document",
    "from_status",
    "to_status",
    "previous_end_date",
    "new_end_date",
    "note",
)


def _choice(code: str, label) -> dict | None:
    return {"code": code, "label": str(label)} if code else None


def public_entries_by_ids(ids: Iterable[str]) -> list[Entry]:
    """Entries in hit order with their linked startup: two queries whatever the number."""
    entries = entries_by_ids(list(ids))
    prefetch_related_objects(entries, "startup")
    return entries


def entry_data(entry: Entry, absolute: Absolute) -> dict:
    """An entry's public fields (its `startup` should be loaded with it)."""
    with translation.override(settings.LANGUAGE_CODE):
        startup = entry.startup
        return {
            "slug": entry.slug,
            "url": absolute(entry.get_absolute_url()),
            "participant": entry.participant,
            "enterprise_code": entry.enterprise_code,
            # Only a startup the public directory lists is linked.
            "startup_url": (
                absolute(startup.get_absolute_url()) if startup and startup.is_listed else None
            ),
            "title": entry.title,
            "domain": _choice(entry.domain, entry.get_domain_display()),
            "agency": _choice(entry.agency, entry.get_agency_display()),
            "status": _choice(entry.status, entry.get_status_display()),
            "decision_number": entry.decision_number,
            "decision_date": entry.decision_date,
            "scope": entry.scope,
            "exemptions": entry.exemptions,
            "conditions": entry.conditions,
            "customer_cap": entry.customer_cap,
            "transaction_cap_vnd": entry.transaction_cap_vnd,
            "test_space": _choice(entry.test_space, entry.get_test_space_display()),
            "test_area": entry.test_area,
            "start_date": entry.start_date,
            "end_date": entry.end_date,
            "ended_on": entry.ended_on,
            "outcome_report": entry.outcome_report,
            "lessons_learned": entry.lessons_learned,
        }


def amendment_data(amendment: Amendment, absolute: Absolute) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "effective_on": amendment.effective_on,
            "kind": _choice(amendment.kind, amendment.get_kind_display()),
            "decision_number": amendment.decision_number,
            "decision_date": amendment.decision_date,
            "document": absolute(amendment.document.url) if amendment.document else None,
            "from_status": _choice(amendment.from_status, amendment.get_from_status_display()),
            "to_status": _choice(amendment.to_status, amendment.get_to_status_display()),
            "previous_end_date": amendment.previous_end_date,
            "new_end_date": amendment.new_end_date,
            "note": amendment.note,
        }


def entry_detail_data(entry: Entry, absolute: Absolute) -> dict:
    """An entry with its dated history, oldest first (load it with selectors.with_history)."""
    return {
        **entry_data(entry, absolute),
        "history": [amendment_data(a, absolute) for a in entry.amendments.all()],
    }


def json_ready(value):
    """Dates as ISO text, for `json.dumps` outside Ninja."""
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_ready(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- CSV ---------------------------------------------------------------------------------------


def _columns(fields: tuple[str, ...], choices: frozenset, prefix: str = "") -> list[str]:
    columns = []
    for name in fields:
        columns.append(prefix + name)
        if name in choices:
            columns.append(f"{prefix}{name}_label")
    return columns


_ENTRY_CHOICES = frozenset({"domain", "agency", "status", "test_space"})
_HISTORY_CHOICES = frozenset({"kind", "from_status", "to_status"})
ENTRY_COLUMNS = _columns(ENTRY_FIELDS, _ENTRY_CHOICES)
HISTORY_COLUMNS = _columns(HISTORY_FIELDS, _HISTORY_CHOICES, prefix="history_")


def _cells(data: dict, fields: tuple[str, ...], choices: frozenset) -> list[str]:
    cells = []
    for name in fields:
        value = data[name]
        if name in choices:
            cells.extend([value["code"], value["label"]] if value else ["", ""])
        else:
            cells.append(cell_text(value))
    return cells


def _csv(header: list[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)  # so spreadsheet programs read the Vietnamese as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def register_csv(entries: Iterable[Entry], absolute: Absolute) -> str:
    """One row per entry, in the order given."""
    return _csv(
        ENTRY_COLUMNS,
        (_cells(entry_data(e, absolute), ENTRY_FIELDS, _ENTRY_CHOICES) for e in entries),
    )


def entry_csv(entry: Entry, absolute: Absolute) -> str:
    """The entry's history, one row per dated item (oldest first), each with the entry's fields:
    the long form open-data tools read without a second file."""
    data = entry_detail_data(entry, absolute)
    entry_cells = _cells(data, ENTRY_FIELDS, _ENTRY_CHOICES)
    return _csv(
        ENTRY_COLUMNS + HISTORY_COLUMNS,
        (entry_cells + _cells(item, HISTORY_FIELDS, _HISTORY_CHOICES) for item in data["history"]),
    )
