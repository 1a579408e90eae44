"""The public ecosystem dashboard: every public indicator against the city's targets with its
source, as-of date, verification and trajectory; the breakdowns the apps contribute; and a page
per indicator with its frozen weekly history. The expensive reads are cached per language and
forgotten on every dashboard write, so a warm page makes a fixed, small number of queries."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import selectors
from .selectors import Figure
from .sources import one_reading_pass

# The index's headline time series shows this many of the latest snapshots (half a year of
# weekly ones, the window the pace is measured over); the indicator's page shows them all.
HEADLINE_SERIES_POINTS = 26
STATUS_ORDER = ("reached", "on_track", "at_risk", "off_track", "unknown")


def _status_counts(targets: list[Figure]) -> list[dict]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for figure in targets:
        counts[figure.trajectory.status] += 1
    return [
        {"status": status, "label": selectors.Trajectory.STATUS_LABELS[status], "count": n}
        for status, n in counts.items()
        if n
    ]


def _headline_series(targets: list[Figure]) -> tuple[Figure | None, list]:
    """The first target with at least two snapshots, and its latest points."""
    for figure in targets:
        points = [(day, value) for day, value in figure.history if value is not None]
        if len(points) > 1:
            return figure, figure.history[-HEADLINE_SERIES_POINTS:]
    return None, []


def _with_changes(points: list[tuple[date, Decimal | None]]) -> list[dict]:
    """Newest first, each with its change from the snapshot before it that had a value."""
    rows, previous = [], None
    for day, value in points:
        change = value - previous if value is not None and previous is not None else None
        rows.append({"day": day, "value": value, "change": change})
        previous = value if value is not None else previous
    return rows[::-1]


@require_GET
def index(request):
    # One pass: the figures and the charts read each app's aggregates once between them.
    with one_reading_pass():
        figures, charts = selectors.read_figures(), selectors.read_charts()
    targets = [figure for figure in figures.items if figure.trajectory is not None]
    series, points = _headline_series(targets)
    context = {
        "targets": targets,
        "activity": [figure for figure in figures.items if figure.trajectory is None],
        "status_counts": _status_counts(targets),
        "series": series,
        "series_points": points,
        "series_rows": _with_changes(points),
        "charts": charts.items,
        "read_at": min(figures.at, charts.at),
    }
    return render(request, "dashboard/index.html", context)


@require_GET
def indicator(request, code: str):
    figures = selectors.read_figures()
    figure = next((f for f in figures.items if f.indicator.code == code), None)
    if figure is None:
        raise Http404
    rows = selectors.cached(
        f"history:{code}",
        lambda: list(reversed(selectors.snapshot_values(figure.indicator))),
        language=get_language(),
    )
    points = [(timezone.localdate(row.snapshot.taken_at), row.value) for row in rows]
    changes = _with_changes(points)
    context = {
        "figure": figure,
        "indicator": figure.indicator,
        "points": points,
        # Newest first, like the table of changes it is zipped with.
        "history": [
            {"row": row, "change": change["change"]}
            for row, change in zip(reversed(rows), changes, strict=True)
        ],
        "read_at": figures.at,
    }
    return render(request, "dashboard/indicator.html", context)
