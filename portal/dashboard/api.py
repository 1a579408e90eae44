"""Open data: the ecosystem's indicators against the city's targets, each figure with its source,
as-of date and how it was verified, its trajectory, and its weekly snapshots (frozen: a figure
published last week reads the same today). Names and labels are Vietnamese unless `lang=en` or
an Accept-Language preferring English asks otherwise. The CSV downloads (`data_views`) carry the
same fields, shaped once here."""

import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from search.base import MAX_PAGE_SIZE

from .models import Direction, Indicator, Method, SnapshotTrigger, SnapshotValue, Unit
from .selectors import Figure, public_indicators, read_figures, snapshot_values

router = Router(tags=["indicators"])

DEFAULT_PAGE_SIZE = 20
Absolute = Callable[[str], str]  # request.build_absolute_uri


# --- reads and shapes shared with the CSV downloads ---------------------------------------------


def current_figures() -> list[Figure]:
    return read_figures().items


def public_figure(code: str) -> Figure | None:
    return next((figure for figure in current_figures() if figure.indicator.code == code), None)


def public_indicator(code: str) -> Indicator | None:
    return public_indicators().filter(code=code).first()


def _number(value, places: int = 2) -> Decimal | None:
    """`value` rounded to `places`, without trailing zeros: 5000, 33.3, 0.0125."""
    if value is None:
        return None
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return rounded.quantize(Decimal(1))
    return rounded.normalize()


def _choice(choices, code: str) -> dict:
    return {"code": code, "label": str(choices(code).label)}


def indicator_data(figure: Figure, absolute: Absolute) -> dict:
    """An indicator's public fields, named one by one, in the active language."""
    indicator, reading, course = figure.indicator, figure.reading, figure.trajectory
    has_value = reading.value is not None
    code = indicator.code
    return {
        "code": code,
        "name": indicator.label,
        "unit": _choice(Unit, indicator.unit),
        "target": _number(indicator.target_value),
        "deadline": indicator.target_deadline,
        "target_source": indicator.target_source,
        "direction": _choice(Direction, indicator.direction),
        "method": _choice(Method, indicator.method),
        "value": _number(reading.value),
        "as_of": reading.as_of if has_value else None,
        "source": str(reading.source),
        "verification": str(reading.verification),
        "records_url": absolute(reading.url) if reading.url else None,
        "change_since_last_snapshot": _number(figure.change_since_last_snapshot),
        "trajectory": None
        if course is None
        else {
            "status": course.status,
            "status_label": course.status_label,
            "weeks_left": _number(course.weeks_left, 1),
            "required_pace": _number(course.required_pace, 4),
            "current_pace": _number(course.current_pace, 4),
            "projected": _number(course.projected),
        },
        "links": {
            "detail": absolute(reverse("api:indicator", kwargs={"code": code})),
            "snapshots": absolute(reverse("api:indicator_snapshots", kwargs={"code": code})),
            "snapshots_csv": absolute(
                reverse("dashboard_data:snapshots_csv", kwargs={"code": code})
            ),
        },
    }


def snapshot_data(row: SnapshotValue) -> dict:
    """One frozen figure: as it was when the snapshot was taken, source and verification
    included."""
    return {
        "taken_at": timezone.localtime(row.snapshot.taken_at),
        "value": _number(row.value),
        "as_of": row.as_of,
        "source": row.source,
        "verification": row.verification,
        "trigger": _choice(SnapshotTrigger, row.snapshot.trigger),
    }


# --- parameters ---------------------------------------------------------------------------------

LANGUAGE_HELP = "vi or en; without it, the Accept-Language header decides (Vietnamese by default)."


class LanguageParams(Schema):
    lang: str = Field("", description=LANGUAGE_HELP)


class SnapshotParams(Schema):
    """Documents the parameters; they are read and checked here, with messages in the API's
    language rather than a generic validation error."""

    since: str = Field("", description="Snapshots taken on or after this date, e.g. 2026-01-31.")
    until: str = Field("", description="Snapshots taken on or before this date, e.g. 2026-06-30.")
    page: str = Field("1", description="Page number, from 1.")
    page_size: str = Field(str(DEFAULT_PAGE_SIZE), description="Results per page, 1 to 100.")
    lang: str = Field("", description=LANGUAGE_HELP)


def _language(request: HttpRequest, requested: str) -> str:
    if not requested:
        return translation.get_language_from_request(request)
    languages = [code for code, _name in settings.LANGUAGES]
    if requested not in languages:
        raise HttpError(
            400,
            _("Unknown language “%(value)s”; use one of: %(allowed)s.")
            % {"value": requested, "allowed": ", ".join(languages)},
        )
    return requested


def _date(raw: str) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise HttpError(
            400, _("“%(value)s” is not a date; write it as 2026-03-15.") % {"value": raw}
        ) from None


def _whole(raw: str, default: int) -> int | None:
    try:
        return int(raw.strip()) if raw.strip() else default
    except ValueError:
        return None


def _page(params: SnapshotParams) -> tuple[int, int]:
    page = _whole(params.page, 1)
    if page is None or page < 1:
        raise HttpError(
            400,
            _("The page must be a whole number from 1, not “%(value)s”.") % {"value": params.page},
        )
    size = _whole(params.page_size, DEFAULT_PAGE_SIZE)
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        raise HttpError(
            400,
            _("The page size must be a whole number from 1 to %(max)s, not “%(value)s”.")
            % {"max": MAX_PAGE_SIZE, "value": params.page_size},
        )
    return page, size


# --- responses ----------------------------------------------------------------------------------


class IndicatorChoiceOut(Schema):
    code: str
    label: str


class TrajectoryOut(Schema):
    status: str = Field(description="reached, on_track, at_risk, off_track or unknown.")
    status_label: str
    weeks_left: float
    required_pace: float | None = Field(
        description="Change per week needed to meet the target by its deadline."
    )
    current_pace: float | None = Field(
        description="Change per week over the last 26 weeks of snapshots (least squares)."
    )
    projected: float | None = Field(description="The value at the deadline at the current pace.")


class IndicatorLinksOut(Schema):
    detail: str
    snapshots: str
    snapshots_csv: str


class IndicatorOut(Schema):
    code: str
    name: str
    unit: IndicatorChoiceOut
    target: float | None
    deadline: date | None
    target_source: str
    direction: IndicatorChoiceOut
    method: IndicatorChoiceOut
    value: float | None = Field(description="The current figure; null when there is no data.")
    as_of: date | None
    source: str
    verification: str = Field(description="How the figure was verified.")
    records_url: str | None = Field(description="The public records the figure counts.")
    change_since_last_snapshot: float | None
    trajectory: TrajectoryOut | None = Field(description="Null for an indicator without target.")
    links: IndicatorLinksOut


class IndicatorListOut(Schema):
    count: int
    results: list[IndicatorOut]
    csv: str


class SnapshotValueOut(Schema):
    taken_at: datetime
    value: float | None
    as_of: date | None
    source: str
    verification: str
    trigger: IndicatorChoiceOut


class SnapshotPageOut(Schema):
    code: str
    count: int
    page: int
    pages: int
    page_size: int
    results: list[SnapshotValueOut]
    csv: str


class ApiErrorOut(Schema):
    detail: str


# --- operations ---------------------------------------------------------------------------------


def _unknown(code: str) -> HttpError:
    return HttpError(404, _("No public indicator has the code “%(code)s”.") % {"code": code})


@router.get(
    "",
    response={200: IndicatorListOut, 400: ApiErrorOut},
    summary="Indicators and their targets",
    url_name="indicators",
)
def list_indicators(request: HttpRequest, params: Query[LanguageParams]):
    """Every public indicator in dashboard order: its target and deadline, the current figure
    with its source, as-of date and verification, and the trajectory towards the target."""
    with translation.override(_language(request, params.lang)):
        shown = current_figures()
        return {
            "count": len(shown),
            "results": [indicator_data(f, request.build_absolute_uri) for f in shown],
            "csv": request.build_absolute_uri(reverse("dashboard_data:indicators_csv")),
        }


@router.get(
    "/{code}",
    response={200: IndicatorOut, 400: ApiErrorOut, 404: ApiErrorOut},
    summary="One indicator",
    url_name="indicator",
)
def get_indicator(request: HttpRequest, code: str, params: Query[LanguageParams]):
    """One public indicator, as in the list; unknown or unpublished codes are 404."""
    with translation.override(_language(request, params.lang)):
        figure = public_figure(code)
        if figure is None:
            raise _unknown(code)
        return indicator_data(figure, request.build_absolute_uri)


@router.get(
    "/{code}/snapshots",
    response={200: SnapshotPageOut, 400: ApiErrorOut, 404: ApiErrorOut},
    summary="An indicator's weekly snapshots",
    url_name="indicator_snapshots",
)
def list_snapshots(request: HttpRequest, code: str, params: Query[SnapshotParams]):
    """The indicator's frozen history, newest first: each snapshot's figure with the source,
    as-of date and verification it had then, and what took the snapshot (the weekly schedule,
    staff, or an import of earlier reports)."""
    with translation.override(_language(request, params.lang)):
        indicator = public_indicator(code)
        if indicator is None:
            raise _unknown(code)
        since, until = _date(params.since), _date(params.until)
        if since and until and since > until:
            raise HttpError(
                400,
                _("The start date %(since)s is after the end date %(until)s.")
                % {"since": since.isoformat(), "until": until.isoformat()},
            )
        page, size = _page(params)
        rows = snapshot_values(indicator, since=since, until=until)
        count = rows.count()
        pages = max(math.ceil(count / size), 1)
        if page > pages:
            raise HttpError(
                400,
                _("There is no page %(page)s: the results end at page %(last)s.")
                % {"page": page, "last": pages},
            )
        return {
            "code": indicator.code,
            "count": count,
            "page": page,
            "pages": pages,
            "page_size": size,
            "results": [snapshot_data(row) for row in rows[(page - 1) * size : page * size]],
            "csv": request.build_absolute_uri(
                reverse("dashboard_data:snapshots_csv", kwargs={"code": indicator.code})
            ),
        }
