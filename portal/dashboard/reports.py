"""The steering committee's weekly report, built once as data from a frozen snapshot
(`build_report`), then rendered to a spreadsheet (`render_xlsx`) and a PDF (`render_pdf`).

For each indicator: its figure in the snapshot, the change since the snapshot before it, the
target and deadline, the trajectory (verdict and value projected at the deadline at the pace of
the snapshot history) and where the figure comes from. Then what is overdue across the portal.

Overdue items: the `register_overdue_items` hook
-------------------------------------------------
The dashboard knows no domain app. Each app that has late items registers, in its
`dashboard_hooks.py`, a function taking no argument and returning a list of
`sources.OverdueSection(key, title, rows)`; each row is an `OverdueRow(text, due, url)`:

- `key`: stable, namespaced by the app (`"fund.tranches"`);
- `title` and `text`: already in the active language (the report is built inside
  `translation.override`), one line each;
- `due`: the date the item was (or, for periods about to end, is) due; None if it has none;
- `url`: the path of the admin page where staff act on the item.

An app returns its sections even when they are empty, so the report says "nothing overdue"
rather than leaving the kind out::

    @hooks.register("register_overdue_items")
    def fund_overdue_items():
        return [OverdueSection("fund.tranches", _("Fund tranches overdue"), rows=[...])]

Contributed today: fund (applications past their stage deadline, tranches past their planned
date), sandbox (test periods ending within 30 days), tech_exchange (enquiries unanswered past
their deadline), startups (listed startups gone stale).

The PDF is set in Source Sans Pro (the `font-source-sans-pro` package, SIL OFL): reportlab's
built-in fonts have no Vietnamese glyphs.
"""

import functools
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from wagtail import hooks

from .charts import format_change, format_day, format_pace, format_value
from .models import Snapshot, SnapshotValue, Unit
from .selectors import PACE_WINDOW, Trajectory, trajectory
from .sources import OverdueSection

# The spreadsheet's sheets open with the title, a line on the snapshots, a blank line, then the
# column headings: data starts on the row after HEADER_ROW.
HEADER_ROW = 4
FIGURES_SHEET = "Figures"
OVERDUE_SHEET = "Overdue"
# The PDF lists this many items of a section; the spreadsheet has them all.
PDF_ROWS_PER_SECTION = 50
FONT = "PortalSans"
FONT_BOLD = "PortalSans-Bold"


@dataclass(frozen=True)
class ReportFigure:
    code: str
    name: str
    unit: str
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    target: Decimal | None
    deadline: date | None
    trajectory: Trajectory | None
    source: str
    as_of: date | None
    verification: str


@dataclass(frozen=True)
class ReportData:
    title: str
    week: str
    taken_at: datetime
    previous_taken_at: datetime | None
    today: date
    figures: list[ReportFigure]
    overdue: list[OverdueSection]

    @property
    def overdue_count(self) -> int:
        return sum(len(section.rows) for section in self.overdue)

    def days_late(self, due: date | None) -> int | None:
        """Days since `due`; negative for a date still to come."""
        return None if due is None else (self.today - due).days


def week_label(taken_at: datetime) -> str:
    """The ISO week of a snapshot in Hanoi time: `2026-W47`."""
    year, week, _day = timezone.localdate(taken_at).isocalendar()
    return f"{year}-W{week:02d}"


def report_title(taken_at: datetime) -> str:
    year, week, _day = timezone.localdate(taken_at).isocalendar()
    return _("Weekly report on the innovation ecosystem: week %(week)d of %(year)d") % {
        "week": week,
        "year": year,
    }


def previous_snapshot(snapshot: Snapshot) -> Snapshot | None:
    return (
        Snapshot.objects.filter(
            Q(taken_at__lt=snapshot.taken_at) | Q(taken_at=snapshot.taken_at, pk__lt=snapshot.pk)
        )
        .order_by("-taken_at", "-pk")
        .first()
    )


def overdue_sections() -> list[OverdueSection]:
    return [
        section for register in hooks.get_hooks("register_overdue_items") for section in register()
    ]


def _histories(snapshot: Snapshot) -> dict[int, list[tuple[date, Decimal | None]]]:
    """Each indicator's figures in the snapshots of the pace window up to `snapshot`."""
    rows = (
        SnapshotValue.objects.filter(
            Q(snapshot__taken_at__lt=snapshot.taken_at)
            | Q(snapshot__taken_at=snapshot.taken_at, snapshot_id__lte=snapshot.pk),
            snapshot__taken_at__gte=snapshot.taken_at - PACE_WINDOW,
        )
        .values_list("indicator_id", "snapshot__taken_at", "value")
        .order_by("snapshot__taken_at", "snapshot_id")
    )
    histories: dict[int, list] = {}
    for indicator_id, taken_at, value in rows:
        histories.setdefault(indicator_id, []).append((timezone.localdate(taken_at), value))
    return histories


def build_report(snapshot: Snapshot) -> ReportData:
    """The report's content in the active language, in a fixed number of queries plus those of
    the overdue hooks."""
    previous = previous_snapshot(snapshot)
    before = dict(previous.values.values_list("indicator_id", "value")) if previous else {}
    histories = _histories(snapshot)
    day = timezone.localdate(snapshot.taken_at)
    figures = []
    for row in snapshot.values.select_related("indicator").order_by(
        "indicator__position", "indicator__code"
    ):
        indicator = row.indicator
        last = before.get(indicator.pk)
        has_target = indicator.target_value is not None and indicator.target_deadline is not None
        figures.append(
            ReportFigure(
                code=indicator.code,
                name=indicator.label,
                unit=indicator.unit,
                value=row.value,
                previous=last,
                change=row.value - last if row.value is not None and last is not None else None,
                target=indicator.target_value,
                deadline=indicator.target_deadline,
                trajectory=(
                    trajectory(indicator, row.value, histories.get(indicator.pk, []), today=day)
                    if has_target
                    else None
                ),
                source=row.source,
                as_of=row.as_of,
                verification=row.verification,
            )
        )
    return ReportData(
        title=report_title(snapshot.taken_at),
        week=week_label(snapshot.taken_at),
        taken_at=snapshot.taken_at,
        previous_taken_at=previous.taken_at if previous else None,
        today=day,
        figures=figures,
        overdue=overdue_sections(),
    )


def _moment(value: datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def snapshots_line(data: ReportData) -> str:
    if data.previous_taken_at is None:
        return _("Figures of the snapshot of %(taken)s; there is no earlier snapshot.") % {
            "taken": _moment(data.taken_at)
        }
    text = _("Figures of the snapshot of %(taken)s; changes since the snapshot of %(previous)s.")
    return text % {"taken": _moment(data.taken_at), "previous": _moment(data.previous_taken_at)}


def lateness(days: int | None) -> str:
    if days is None:
        return "—"
    if days >= 0:
        return ngettext("%(days)d day late", "%(days)d days late", days) % {"days": days}
    return ngettext("in %(days)d day", "in %(days)d days", -days) % {"days": -days}


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}" if path else ""


# --- the spreadsheet -----------------------------------------------------------------------------

NUMBER_FORMATS = {Unit.COUNT: "#,##0", Unit.PERCENT: "0.00", Unit.VND: "#,##0"}
PACE_FORMAT = "#,##0.00##"
DATE_FORMAT = "dd/mm/yyyy"


def _sheet(workbook, title: str, data: ReportData, headings: list[str], widths: list[int]):
    sheet = workbook.create_sheet(title)
    sheet.append([data.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([snapshots_line(data)])
    sheet.append([])
    sheet.append(headings)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return sheet


def _rounded(value: Decimal | None, places: str) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places))


def _figure_row(figure: ReportFigure) -> list:
    path = figure.trajectory
    return [
        figure.code,
        figure.name,
        str(Unit(figure.unit).label),
        figure.value,
        figure.previous,
        figure.change,
        figure.target,
        figure.deadline,
        path.status_label if path else "",
        _rounded(path.projected, "0.01") if path else None,
        _rounded(path.required_pace, "0.0001") if path else None,
        _rounded(path.current_pace, "0.0001") if path else None,
        figure.source,
        figure.as_of,
        figure.verification,
    ]


def render_xlsx(data: ReportData) -> bytes:
    """Numbers stay numbers and dates dates, so the committee's staff can compute with them."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = data.title
    figures = _sheet(
        workbook,
        FIGURES_SHEET,
        data,
        [
            _("Indicator code"),
            _("Indicator"),
            _("Unit"),
            _("Value"),
            _("Previous value"),
            _("Change"),
            _("Target"),
            _("Target deadline"),
            _("Trajectory"),
            _("Projected at the deadline"),
            _("Weekly pace needed"),
            _("Weekly pace so far"),
            _("Source"),
            _("As of"),
            _("How it was verified"),
        ],
        [22, 48, 10, 18, 18, 16, 18, 14, 18, 20, 16, 16, 40, 12, 50],
    )
    for figure in data.figures:
        figures.append(_figure_row(figure))
        number_format = NUMBER_FORMATS[figure.unit]
        for column in (4, 5, 6, 7, 10):
            figures.cell(row=figures.max_row, column=column).number_format = number_format
        for column in (11, 12):
            figures.cell(row=figures.max_row, column=column).number_format = PACE_FORMAT
        for column in (8, 14):
            figures.cell(row=figures.max_row, column=column).number_format = DATE_FORMAT
    overdue = _sheet(
        workbook,
        OVERDUE_SHEET,
        data,
        [_("Section"), _("Item"), _("Due"), _("Days past due (negative: days left)"), _("Link")],
        [40, 70, 12, 16, 60],
    )
    for section in data.overdue:
        for row in section.rows:
            link = absolute_url(row.url)
            overdue.append([section.title, row.text, row.due, data.days_late(row.due), link])
            overdue.cell(row=overdue.max_row, column=3).number_format = DATE_FORMAT
            if link:
                overdue.cell(row=overdue.max_row, column=5).hyperlink = link
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- the PDF -------------------------------------------------------------------------------------


@functools.cache
def _register_fonts() -> None:
    from font_source_sans_pro import font_files_ttf

    pdfmetrics.registerFont(TTFont(FONT, font_files_ttf["SourceSansPro"]))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, font_files_ttf["SourceSansProBold"]))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "title": ParagraphStyle("title", body, fontName=FONT_BOLD, fontSize=16, leading=20),
        "heading": ParagraphStyle(
            "heading", body, fontName=FONT_BOLD, fontSize=13, leading=16, spaceBefore=10
        ),
        "subheading": ParagraphStyle(
            "subheading", body, fontName=FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=8
        ),
        "body": body,
        "head": ParagraphStyle("head", body, fontName=FONT_BOLD),
        "number": ParagraphStyle("number", body, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", body, fontSize=7.5, leading=9.5, textColor=colors.grey),
    }


GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9e9a9e")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#ece6eb")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def target_text(target: Decimal | None, deadline: date | None, unit: str) -> str:
    if target is None:
        return _("No target")
    return _("%(target)s by %(deadline)s") % {
        "target": format_value(target, unit),
        "deadline": format_day(deadline),
    }


def _trajectory_text(figure: ReportFigure) -> str:
    path = figure.trajectory
    if path is None:
        return "—"
    if path.projected is None:
        return path.status_label
    return _("%(status)s: %(projected)s at the deadline") % {
        "status": path.status_label,
        "projected": format_value(path.projected, figure.unit),
    }


def _figures_table(data: ReportData, styles) -> Table:
    rows = [
        [
            _p(heading, styles["head"])
            for heading in (
                _("Indicator"),
                _("Value"),
                _("Change"),
                _("Target"),
                _("Trajectory"),
                _("Weekly pace"),
                _("Source, as of"),
            )
        ]
    ]
    for figure in data.figures:
        pace = figure.trajectory.current_pace if figure.trajectory else None
        source = figure.source or figure.verification
        rows.append(
            [
                _p(figure.name, styles["body"]),
                _p(format_value(figure.value, figure.unit), styles["number"]),
                _p(format_change(figure.change, figure.unit), styles["number"]),
                _p(target_text(figure.target, figure.deadline, figure.unit), styles["body"]),
                _p(_trajectory_text(figure), styles["body"]),
                _p(format_pace(pace, figure.unit), styles["body"]),
                _p(f"{source} · {format_day(figure.as_of)}", styles["small"]),
            ]
        )
    widths = [68 * mm, 28 * mm, 30 * mm, 38 * mm, 40 * mm, 26 * mm, 37 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID)
    return table


def _overdue_table(data: ReportData, section: OverdueSection, styles) -> Table:
    rows = [[_p(_("Item"), styles["head"]), _p(_("Due"), styles["head"]), _p("", styles["head"])]]
    for row in section.rows[:PDF_ROWS_PER_SECTION]:
        text = escape(row.text)
        if row.url:
            text = f'<a href="{escape(absolute_url(row.url))}" color="#1a5fb4">{text}</a>'
        rows.append(
            [
                Paragraph(text, styles["body"]),
                _p(format_day(row.due), styles["body"]),
                _p(lateness(data.days_late(row.due)), styles["body"]),
            ]
        )
    table = Table(rows, colWidths=[190 * mm, 30 * mm, 30 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID)
    return table


def render_pdf(data: ReportData) -> bytes:
    _register_fonts()
    styles = _styles()
    story = [
        _p(data.title, styles["title"]),
        _p(snapshots_line(data), styles["body"]),
        Spacer(1, 4 * mm),
        _p(_("Indicators"), styles["heading"]),
        _figures_table(data, styles),
        _p(_("Overdue items"), styles["heading"]),
    ]
    for section in data.overdue:
        story.append(
            _p(f"{section.title} ({len(section.rows)})", styles["subheading"]),
        )
        if section.rows:
            story.append(_overdue_table(data, section, styles))
            left_out = len(section.rows) - PDF_ROWS_PER_SECTION
            if left_out > 0:
                story.append(
                    _p(
                        ngettext(
                            "And %(count)d more item, listed in the spreadsheet.",
                            "And %(count)d more items, listed in the spreadsheet.",
                            left_out,
                        )
                        % {"count": left_out},
                        styles["body"],
                    )
                )
        else:
            story.append(_p(_("Nothing overdue."), styles["body"]))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(15 * mm, 8 * mm, f"{data.title} · {data.week}")
        canvas.drawRightString(
            landscape(A4)[0] - 15 * mm, 8 * mm, _("Page %(page)d") % {"page": document.page}
        )
        canvas.restoreState()

    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=data.title,
        author=str(_("Hanoi Innovation Portal")),
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return output.getvalue()
