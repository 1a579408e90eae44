"""Exports of the directory as CSV or XLSX, in the import's columns so a file can be re-imported.

The public gets the public columns; revenue and contact details are added for registry staff
only (`permissions.is_department_staff`). Values are written as the import reads them: labels in the
active language (the import accepts codes and labels in either language), sectors separated by
"; ", dates ISO, amounts as whole numbers.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from portal.core.spreadsheets import cell_text

from . import permissions
from .imports import COLUMNS, Column
from .models import LegalForm, RevenueSource, Sector, Stage, Startup

CHUNK_SIZE = 500
BOM = "\ufeff"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

PUBLIC_COLUMNS = tuple(c for c in COLUMNS if not c.private)


def export_columns(user) -> tuple[Column, ...]:
    """Every column for registry staff; the public ones for everyone else."""
    return COLUMNS if permissions.is_department_staff(user) else PUBLIC_COLUMNS


def headers(columns: Iterable[Column], language: str | None = None) -> list[str]:
    return [column.header(language) for column in columns]


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value else ""


def cell_value(startup: Startup, column: Column):
    """The value of `column` for `startup`, as the import reads it back."""
    name = column.field
    if name == "legal_form":
        return _label(LegalForm, startup.legal_form)
    if name == "stage":
        return _label(Stage, startup.stage)
    if name == "revenue_source":
        return _label(RevenueSource, startup.revenue_source)
    if name == "commune":
        return startup.commune.full_name
    if name == "sectors":
        return "; ".join(str(Sector(code).label) for code in startup.sector_codes)
    return getattr(startup, name)


def rows(queryset: QuerySet, columns: Iterable[Column]) -> Iterator[list]:
    """One list of values per startup; `queryset` should carry `with_listing_relations`, so a
    chunk of CHUNK_SIZE rows costs a constant number of queries."""
    columns = tuple(columns)
    for startup in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [cell_value(startup, column) for column in columns]


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_stream(queryset: QuerySet, columns: Iterable[Column], language: str) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly; yields line by line."""
    columns = tuple(columns)
    writer = csv.writer(_Line())
    with translation.override(language):
        yield (BOM + writer.writerow(headers(columns, language))).encode("utf-8")
        for values in rows(queryset, columns):
            yield writer.writerow([cell_text(v) for v in values]).encode("utf-8")


def xlsx_bytes(queryset: QuerySet, columns: Iterable[Column], language: str) -> bytes:
    """A workbook with one sheet; text cells are always text (never formulas), amounts numbers,
    dates dates."""
    columns = tuple(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Startups")
    with translation.override(language):
        sheet.append(headers(columns, language))
        for values in rows(queryset, columns):
            line = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                line.append(cell)
            sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
