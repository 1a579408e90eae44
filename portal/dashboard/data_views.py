"""The dashboard's CSV downloads: every public indicator with its current figure, and one
indicator's frozen history. The same fields as the open-data API (shaped once in `api`), in the
page's language, with a BOM so spreadsheet programs read the Vietnamese as UTF-8."""

import csv
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.core.spreadsheets import cell_text

from .api import current_figures, indicator_data, public_indicator, snapshot_data, snapshot_values

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

INDICATOR_COLUMNS = [
    "code",
    "name",
    "unit",
    "unit_label",
    "target",
    "deadline",
    "target_source",
    "direction",
    "direction_label",
    "method",
    "method_label",
    "value",
    "as_of",
    "source",
    "verification",
    "records_url",
    "change_since_last_snapshot",
    "trajectory_status",
    "trajectory_status_label",
    "weeks_left",
    "required_pace_per_week",
    "current_pace_per_week",
    "projected_at_deadline",
    "snapshots_csv",
]
SNAPSHOT_COLUMNS = [
    "code",
    "taken_at",
    "value",
    "as_of",
    "source",
    "verification",
    "trigger",
    "trigger_label",
]


def _indicator_row(data: dict) -> list:
    course = data["trajectory"] or {}
    return [
        data["code"],
        data["name"],
        data["unit"]["code"],
        data["unit"]["label"],
        data["target"],
        data["deadline"],
        data["target_source"],
        data["direction"]["code"],
        data["direction"]["label"],
        data["method"]["code"],
        data["method"]["label"],
        data["value"],
        data["as_of"],
        data["source"],
        data["verification"],
        data["records_url"],
        data["change_since_last_snapshot"],
        course.get("status"),
        course.get("status_label"),
        course.get("weeks_left"),
        course.get("required_pace"),
        course.get("current_pace"),
        course.get("projected"),
        data["links"]["snapshots_csv"],
    ]


def _snapshot_row(code: str, data: dict) -> list:
    return [
        code,
        data["taken_at"],
        data["value"],
        data["as_of"],
        data["source"],
        data["verification"],
        data["trigger"]["code"],
        data["trigger"]["label"],
    ]


def _cell(value) -> str:
    # A negative change is a number, not a formula: only text goes through `cell_text`'s guard.
    return str(value) if isinstance(value, Decimal) else cell_text(value)


def _csv_response(header: list[str], rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return response


@require_GET
def indicators_csv(request):
    absolute = request.build_absolute_uri
    return _csv_response(
        INDICATOR_COLUMNS,
        (_indicator_row(indicator_data(figure, absolute)) for figure in current_figures()),
        f"indicators-{timezone.localdate():%Y-%m-%d}.csv",
    )


@require_GET
def snapshots_csv(request, code):
    indicator = public_indicator(code)
    if indicator is None:
        raise Http404(code)
    return _csv_response(
        SNAPSHOT_COLUMNS,
        (_snapshot_row(indicator.code, snapshot_data(row)) for row in snapshot_values(indicator)),
        f"indicator-{indicator.code}-snapshots.csv",
    )
