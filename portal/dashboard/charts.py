"""The dashboard's figures drawn on the server: numbers formatted by unit the Vietnamese or the
English way, and charts as inline SVG (a time series with its target, horizontal bars, a funnel)
with no script and no library. Each chart is an image with a title and a description; the page
always puts a table with the same numbers beside it, which is where its links live (links inside
an image would be focusable yet hidden from screen readers)."""

import math
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal.core.formatting import format_vnd_compact

from .models import Unit
from .sources import Chart

# Narrow canvases: drawn at about their own size on a desk and shrunk little on a phone, so the
# text stays legible (the page caps their width).
BARS_WIDTH = 400
LINE_WIDTH = 480
INK = "#1c1b1f"
MUTED = "#4f4a4f"
GRID = "#cac4c9"
BAR = "#8c1d18"
TARGET = "#1a5fb4"
TRACK = "#f6f2f3"
FONT_SIZE = 14
LABEL_CHARS = 30


# --- numbers ------------------------------------------------------------------------------------


def format_number(value: Decimal | int | float, decimals: int = 0) -> str:
    """`12.345,6` in Vietnamese, `12,345.6` in English; trailing zeros dropped."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _sep, fraction = f"{abs(rounded):f}".partition(".")
    text = f"{int(whole):,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    fraction = fraction.rstrip("0")
    if fraction:
        text = f"{text}{get_format('DECIMAL_SEPARATOR')}{fraction}"
    return f"-{text}" if rounded < 0 else text


def format_value(value: Decimal | int | None, unit: str) -> str:
    """A figure in its unit: `5.000`, `12,5 %`, `1.000 tỷ đồng`."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{format_number(value, 1)} %"
    if unit == Unit.VND:
        return format_vnd_compact(value)
    # Counts are whole: a projection or an imported average is shown rounded.
    return format_number(value, 0)


def _signed(value: Decimal, text: str) -> str:
    return f"+{text}" if value > 0 else text


def format_change(value: Decimal | None, unit: str) -> str:
    """A difference between two figures: `+25`, `+1,2 percentage points`, `+3 tỷ đồng`."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return _("%(amount)s percentage points") % {
            "amount": _signed(value, format_number(value, 1))
        }
    if unit == Unit.VND:
        return _signed(value, format_vnd_compact(value))
    return _signed(value, format_number(value, 0 if abs(value) >= 10 else 1))


def format_pace(value: Decimal | None, unit: str) -> str:
    """A change per week, precise enough that a slow pace does not read as zero."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        amount = _signed(value, format_number(value, 2))
        return _("%(amount)s percentage points a week") % {"amount": amount}
    if unit == Unit.VND:
        amount = _signed(value, format_vnd_compact(value))
    else:
        amount = _signed(value, format_number(value, 1 if abs(value) >= 1 else 2))
    return _("%(amount)s a week") % {"amount": amount}


def format_day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


# --- drawing ------------------------------------------------------------------------------------


def _svg(
    *, ident: str, kind: str, width: int, height: float, title: str, desc: str, body: SafeString
) -> SafeString:
    return format_html(
        '<svg class="dash-svg dash-svg--{kind}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'font-size="{size}" fill="{ink}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=ident,
        kind=kind,
        w=width,
        h=_n(height),
        size=FONT_SIZE,
        ink=INK,
        title=title,
        desc=desc,
        body=body,
    )


def _n(number: float) -> str:
    """Coordinates to one decimal: short markup, no locale."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>', _n(x), _n(y), anchor, fill, text
    )


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round gridline step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` lines."""
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)


def _scale(values: Sequence[float]) -> tuple[float, float, float]:
    low = min(0.0, *values)
    high = max(values)
    if high <= low:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def line_chart(
    *,
    ident: str,
    title: str,
    points: Sequence[tuple[date, Decimal | None]],
    unit: str,
    target: Decimal | None = None,
    deadline: date | None = None,
) -> SafeString:
    """A time series with its target as a dashed line; gaps where a snapshot had no data.
    Empty when no point has a value."""
    known = [(day, float(value)) for day, value in points if value is not None]
    if not known:
        return mark_safe("")
    height, top, bottom, left, right = 240, 24, 36, 4, LINE_WIDTH - 4
    low, high, step = _scale([value for _day, value in known] + ([float(target)] if target else []))
    first, last = points[0][0], points[-1][0]
    days = (last - first).days

    def x(day: date) -> float:
        return (left + right) / 2 if not days else left + (right - left) * (day - first).days / days

    def y(value: float) -> float:
        return height - bottom - (height - top - bottom) * (value - low) / (high - low)

    parts = []
    ticks = round((high - low) / step)
    for i in range(ticks + 1):
        value = low + i * step
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="1"/>',
                left,
                right,
                GRID,
                y=_n(y(value)),
            )
        )
        parts.append(
            _text(left + 2, y(value) - 4, format_value(Decimal(str(value)), unit), fill=MUTED)
        )
    runs: list[list[str]] = [[]]
    for day, value in points:
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{_n(x(day))},{_n(y(float(value)))}")
    parts.extend(
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
            'stroke-linejoin="round"/>',
            " ".join(run),
            BAR,
        )
        for run in runs
        if len(run) > 1
    )
    parts.extend(
        format_html(
            '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}: {}</title></circle>',
            _n(x(day)),
            _n(y(value)),
            BAR,
            format_day(day),
            format_value(Decimal(str(value)), unit),
        )
        for day, value in known
    )
    if target is not None:
        target_y = y(float(target))
        label = _("Target %(target)s by %(deadline)s") % {
            "target": format_value(target, unit),
            "deadline": format_day(deadline),
        }
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="6 4"/>',
                left,
                right,
                TARGET,
                y=_n(target_y),
            )
        )
        parts.append(_text(right, target_y - 5, label, anchor="end", fill=TARGET))
    axis_y = height - bottom + 20
    labels = [(first, "start"), (last, "end")] if days else [(first, "middle")]
    parts.extend(_text(x(day), axis_y, format_day(day), anchor=a, fill=MUTED) for day, a in labels)
    desc = _(
        "%(count)s snapshots, from %(first)s on %(first_date)s to %(last)s on %(last_date)s."
    ) % {
        "count": len(known),
        "first": format_value(Decimal(str(known[0][1])), unit),
        "first_date": format_day(known[0][0]),
        "last": format_value(Decimal(str(known[-1][1])), unit),
        "last_date": format_day(known[-1][0]),
    }
    if target is not None:
        desc = f"{desc} {label}."
    return _svg(
        ident=ident,
        kind="line",
        width=LINE_WIDTH,
        height=height,
        title=title,
        desc=desc,
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )


def sparkline(points: Sequence[tuple[date, Decimal | None]]) -> SafeString:
    """A small decorative trend line for a figure's card: hidden from assistive technology, the
    indicator's page has the chart and its table."""
    values = [float(value) for _day, value in points if value is not None]
    if len(values) < 2:
        return mark_safe("")
    width, height = 120, 32
    low, high = min(values), max(values)
    spread = (high - low) or 1
    step = width / (len(values) - 1)
    line = " ".join(
        f"{_n(i * step)},{_n(height - 2 - (height - 4) * (value - low) / spread)}"
        for i, value in enumerate(values)
    )
    return format_html(
        '<svg class="dash-sparkline" aria-hidden="true" focusable="false" viewBox="0 0 {} {}" '
        'width="{}" height="{}" xmlns="http://www.w3.org/2000/svg"><polyline points="{}" '
        'fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round"/></svg>',
        width,
        height,
        width,
        height,
        line,
        BAR,
    )


def bar_chart(chart: Chart, *, ident: str | None = None) -> SafeString:
    """Horizontal bars in the source's order, each under its label and value, on a pale track so
    a zero still reads as a bar; a funnel centres its bars so the narrowing reads as stages.
    Empty when the chart has no rows."""
    if not chart.rows:
        return mark_safe("")
    ident = ident or f"chart-{chart.key}"
    row_height, bar_height, top = 44, 12, 4
    values = [float(row.value) for row in chart.rows]
    largest = max(values) or 1
    first = values[0]
    parts = []
    for i, (row, value) in enumerate(zip(chart.rows, values, strict=True)):
        y = top + i * row_height
        width = BARS_WIDTH * value / largest
        x = (BARS_WIDTH - width) / 2 if chart.funnel else 0
        text = format_value(row.value, chart.unit)
        if chart.funnel and i and first:
            text = f"{text} · {format_value(Decimal(str(100 * value / first)), Unit.PERCENT)}"
        parts.append(_text(0, y + 15, Truncator(row.label).chars(LABEL_CHARS)))
        parts.append(_text(BARS_WIDTH, y + 15, text, anchor="end", fill=MUTED))
        parts.append(
            format_html(
                '<rect x="0" y="{y}" width="{}" height="{h}" rx="3" fill="{}"/>'
                '<rect x="{}" y="{y}" width="{}" height="{h}" rx="3" fill="{}"/>',
                BARS_WIDTH,
                TRACK,
                _n(x),
                _n(max(width, 2 if value else 0)),
                BAR,
                y=_n(y + 22),
                h=bar_height,
            )
        )
    biggest = chart.rows[values.index(max(values))]
    if chart.funnel:
        desc = _(
            "%(count)s stages, from %(first)s at “%(first_label)s” to %(last)s at “%(last_label)s”."
        ) % {
            "count": len(chart.rows),
            "first": format_value(chart.rows[0].value, chart.unit),
            "first_label": chart.rows[0].label,
            "last": format_value(chart.rows[-1].value, chart.unit),
            "last_label": chart.rows[-1].label,
        }
    else:
        desc = _("%(count)s bars; the largest is “%(label)s” with %(value)s.") % {
            "count": len(chart.rows),
            "label": biggest.label,
            "value": format_value(biggest.value, chart.unit),
        }
    desc = f"{desc} {_('The table beside the chart gives every value.')}"
    return _svg(
        ident=ident,
        kind="bars",
        width=BARS_WIDTH,
        height=top * 2 + row_height * len(chart.rows),
        title=chart.title,
        desc=desc,
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )


def funnel_share(chart: Chart, value: Decimal | int) -> str:
    """A funnel stage as a share of its first stage (`—` when the first stage is empty)."""
    first = chart.rows[0].value if chart.rows else 0
    if not first:
        return "—"
    return format_value(Decimal(value) * 100 / Decimal(first), Unit.PERCENT)
