"""The dashboard's figures and charts in templates: values by unit, and the SVG charts drawn by
`portal.dashboard.charts`."""

from decimal import Decimal

from django import template

from portal.dashboard import charts
from portal.dashboard.models import Direction
from portal.dashboard.selectors import Figure
from portal.dashboard.sources import Chart

register = template.Library()

register.filter("unit_value", charts.format_value)
register.filter("unit_change", charts.format_change)
register.filter("unit_pace", charts.format_pace)
register.simple_tag(charts.funnel_share, name="funnel_share")

STATUS_STYLES = {
    "reached": "ok",
    "on_track": "ok",
    "at_risk": "warn",
    "off_track": "error",
    "unknown": "neutral",
}


@register.filter
def status_style(status: str) -> str:
    return STATUS_STYLES.get(status, "neutral")


@register.filter
def progress_percent(figure: Figure) -> int | None:
    """How far a figure has come towards a higher-is-better target, 0-100; None where that
    does not apply (no data, no target, or a lower-is-better target with no baseline)."""
    trajectory = figure.trajectory
    if (
        trajectory is None
        or trajectory.current is None
        or figure.indicator.direction != Direction.INCREASE
        or trajectory.target <= 0
    ):
        return None
    share = max(Decimal(0), min(Decimal(1), trajectory.current / trajectory.target))
    return int((share * 100).to_integral_value())


@register.filter
def last_snapshot_day(figure: Figure):
    """The date of the latest snapshot that had a value (what "since" refers to)."""
    return next((day for day, value in reversed(figure.history) if value is not None), None)


@register.filter
def sparkline(figure: Figure):
    return charts.sparkline(figure.history)


@register.simple_tag
def bar_chart(chart: Chart):
    return charts.bar_chart(chart)


@register.simple_tag
def line_chart(figure: Figure, points, ident: str, title: str):
    indicator = figure.indicator
    return charts.line_chart(
        ident=ident,
        title=title,
        points=points,
        unit=indicator.unit,
        target=indicator.target_value,
        deadline=indicator.target_deadline,
    )
