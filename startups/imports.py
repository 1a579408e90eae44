"""Bulk import of startups by the department, from CSV or XLSX.

`import_startups(data=…, user=…, commit=…)` reads a file, matches its columns (English or
Vietnamese names, any case, with or without diacritics), normalises every row and decides its
outcome: created, updated (matched by enterprise code), unchanged, or rejected with a reason.
Preview (`commit=False`) and import (`commit=True`) are one code path; the preview just writes
nothing. The result is an `ImportReport`, downloadable as CSV.

Performance (5,000 rows within 10 s on PostgreSQL): the communes, the slugs in use and the
existing startups of each chunk of rows are read once, and each chunk is written with bulk
queries — a constant number of queries per chunk of CHUNK_SIZE rows, not per row. Bulk writes
send no per-row save signals, so the discovery index is not refreshed row by row either: the
written startups are handed to `search.tasks.refresh_search_documents` after commit, in batches.

Every row is all or nothing: a chunk is written in one savepoint; if the database refuses it
(say a concurrent registration took an enterprise code meanwhile), the chunk is rolled back and
written again row by row, each in its own savepoint, so only the row at fault is rejected.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.models import User
from portal.core.audit import audit_log_many
from portal.core.exceptions import PortalError
from portal.core.models import Commune
from portal.core.spreadsheets import FORMULA_START
from portal.core.text import fold, unique_slug
from portal.core.validators import (
    normalize_enterprise_code,
    normalize_phone,
    parse_vnd,
    validate_enterprise_code,
)
from portal.files.kinds import FileKind, detect_kind

from . import services
from .models import (
    LegalForm,
    Origin,
    RevenueSource,
    Revision,
    Sector,
    Stage,
    Startup,
    StartupSector,
    Status,
    Transition,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
CHUNK_SIZE = 500
INDEX_BATCH = 1_000
SNIFF_BYTES = 8192
AUDIT_ACTION = "startups.import"


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"

    ALL = (CREATED, UPDATED, UNCHANGED, REJECTED)

    @staticmethod
    def label(outcome: str) -> str:
        return {
            Outcome.CREATED: _("Created"),
            Outcome.UPDATED: _("Updated"),
            Outcome.UNCHANGED: _("Unchanged"),
            Outcome.REJECTED: _("Rejected"),
        }[outcome]


# --- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str  # the English header is the field name
    vietnamese: str
    required: bool = False
    private: bool = False  # revenue and contact details: members and staff only
    aliases: tuple[str, ...] = ()

    def header(self, language: str | None = None) -> str:
        language = language or translation.get_language() or "vi"
        return self.vietnamese if language.startswith("vi") else self.field


COLUMNS = (
    Column("name", "Tên doanh nghiệp", required=True, aliases=("Tên", "Tên công ty")),
    Column(
        "enterprise_code",
        "Mã số doanh nghiệp",
        required=True,
        aliases=("Mã số thuế", "MST", "MSDN", "Enterprise code", "Tax code"),
    ),
    Column("english_name", "Tên tiếng Anh"),
    Column("legal_form", "Loại hình", aliases=("Loại hình doanh nghiệp",)),
    Column("founded_on", "Ngày thành lập", aliases=("Founding date", "Founded")),
    Column("commune", "Phường/Xã", aliases=("Xã/Phường", "Ward", "Ward/commune")),
    Column("address", "Địa chỉ", aliases=("Street address",)),
    Column("sectors", "Lĩnh vực", aliases=("Sector",)),
    Column("stage", "Giai đoạn"),
    Column("team_size", "Số nhân sự", aliases=("Quy mô nhân sự", "Số lao động")),
    Column("website", "Website", aliases=("Trang web",)),
    Column("pitch", "Giới thiệu ngắn", aliases=("Short pitch",)),
    Column("funding_raised_vnd", "Vốn đã huy động (VND)", aliases=("Funding raised",)),
    Column("revenue_vnd", "Doanh thu (VND)", private=True, aliases=("Revenue", "Doanh thu")),
    Column("revenue_year", "Năm doanh thu", private=True),
    Column("revenue_source", "Nguồn số liệu doanh thu", private=True),
    Column("contact_email", "Email liên hệ", private=True, aliases=("Email",)),
    Column(
        "contact_phone",
        "Điện thoại",
        private=True,
        aliases=("Số điện thoại", "Phone", "Contact phone"),
    ),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
# What a new record needs besides the required columns (the model has no default for them).
NEEDED_TO_CREATE = ("legal_form", "commune", "stage", "sectors")


def header_key(text: str) -> str:
    """`Mã số doanh nghiệp`, `ma so doanh nghiep` and `MÃ SỐ  DOANH-NGHIỆP` are the same key."""
    return re.sub(r"[^a-z0-9+]+", " ", fold(str(text))).strip()


_HEADER_KEYS = {
    header_key(name): column
    for column in COLUMNS
    for name in (column.field, column.vietnamese, *column.aliases)
}


# --- reading the file ------------------------------------------------------------------------


@dataclass
class Table:
    kind: FileKind
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)


def _refuse(message: str, code: str) -> PortalError:
    return PortalError(message, code=code)


def check_file(data: bytes) -> FileKind:
    """Size and type, by content: CSV (UTF-8 text) or XLSX; anything else is refused."""
    if not data:
        raise _refuse(_("The file is empty."), "file_empty")
    if len(data) > MAX_BYTES:
        raise _refuse(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024},
            "file_too_large",
        )
    head = data[:SNIFF_BYTES]
    kind = detect_kind(head)
    if kind in (FileKind.CSV, FileKind.XLSX):
        return kind
    if kind is None and b"\x00" not in head:
        raise _refuse(
            _(
                "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)” "
                "or as an Excel workbook (.xlsx)."
            ),
            "file_encoding",
        )
    raise _refuse(
        _("This file is not a CSV or XLSX spreadsheet (its content is %(kind)s).")
        % {"kind": kind.extension.upper() if kind else _("unrecognised")},
        "file_type",
    )


def _trimmed(cells: Iterable) -> list:
    cells = list(cells)
    while cells and _blank(cells[-1]):
        cells.pop()
    return cells


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    outside_quotes = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: outside_quotes.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _refuse(
            _(
                "The file is not valid UTF-8 (line %(line)s). In Excel, save it as "
                "“CSV UTF-8 (comma delimited)”."
            )
            % {"line": line},
            "file_encoding",
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        rows = [(number, cells) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise _refuse(
            _("The CSV file cannot be read (line %(line)s): %(error)s")
            % {"line": reader.line_num, "error": error},
            "file_malformed",
        ) from None
    return rows


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 -- openpyxl raises many types for a damaged file
        raise _refuse(
            _("The XLSX file cannot be opened; it may be damaged. Save it again from Excel."),
            "file_malformed",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(cells)))
            if number > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(data: bytes) -> Table:
    kind = check_file(data)
    rows = _read_csv(data) if kind == FileKind.CSV else _read_xlsx(data)
    rows = [(number, _trimmed(cells)) for number, cells in rows]
    if not rows or not rows[0][1]:
        raise _refuse(
            _("The first row must hold the column names; it is empty."), "missing_columns"
        )
    headers = [("" if h is None else str(h)).strip() for h in rows[0][1]]
    body = [(number, cells) for number, cells in rows[1:] if any(not _blank(c) for c in cells)]
    if len(body) > MAX_ROWS:
        raise _refuse(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}"},
            "too_many_rows",
        )
    return Table(kind=kind, headers=headers, rows=body)


@dataclass
class ColumnMap:
    by_index: dict[int, Column]
    header_of: dict[str, str]  # field → the header as written in the file
    unknown: list[str]


def map_columns(headers: list[str]) -> ColumnMap:
    """Which column holds which field; refuses a file missing a required column or naming one
    field twice, and lists the columns it does not know."""
    by_index: dict[int, Column] = {}
    header_of: dict[str, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = _HEADER_KEYS.get(header_key(header))
        if column is None:
            unknown.append(header)
            continue
        if column.field in header_of:
            raise _refuse(
                _("The columns “%(first)s” and “%(second)s” both hold %(field)s; keep one.")
                % {"first": header_of[column.field], "second": header, "field": column.field},
                "duplicate_column",
            )
        by_index[index] = column
        header_of[column.field] = header
    missing = [c for c in COLUMNS if c.required and c.field not in header_of]
    if missing:
        raise _refuse(
            _(
                "The file has no column %(columns)s. The first row must name the columns, in "
                "English or Vietnamese."
            )
            % {"columns": _(" and ").join(f"“{c.vietnamese}” ({c.field})" for c in missing)},
            "missing_columns",
        )
    return ColumnMap(by_index=by_index, header_of=header_of, unknown=unknown)


# --- normalising values ----------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    # An export protects text starting like a formula with a leading apostrophe.
    if text.startswith("'") and text[1:2] in FORMULA_START:
        text = text[1:]
    return text


def _choice_table(choices, aliases: dict[str, str]) -> dict[str, str]:
    table = {}
    for value, label in choices.choices:
        table[header_key(value)] = value
        for language in ("en", "vi"):
            with translation.override(language):
                table[header_key(str(label))] = value
    for alias, value in aliases.items():
        table[header_key(alias)] = value
    return table


LEGAL_FORM_ALIASES = {
    "LLC": LegalForm.LLC,
    "TNHH": LegalForm.LLC,
    "Công ty TNHH": LegalForm.LLC,
    "Công ty trách nhiệm hữu hạn": LegalForm.LLC,
    "Công ty TNHH một thành viên": LegalForm.LLC,
    "Công ty TNHH MTV": LegalForm.LLC,
    "Công ty TNHH hai thành viên trở lên": LegalForm.LLC,
    "JSC": LegalForm.JSC,
    "Công ty cổ phần": LegalForm.JSC,
    "Cổ phần": LegalForm.JSC,
    "CTCP": LegalForm.JSC,
    "Doanh nghiệp tư nhân": LegalForm.SOLE_PROPRIETORSHIP,
    "DNTN": LegalForm.SOLE_PROPRIETORSHIP,
    "Sole proprietor": LegalForm.SOLE_PROPRIETORSHIP,
    "Công ty hợp danh": LegalForm.PARTNERSHIP,
    "Hợp danh": LegalForm.PARTNERSHIP,
    "Khác": LegalForm.OTHER,
}
STAGE_ALIASES = {
    "Ý tưởng": Stage.IDEA,
    "Tiền hạt giống": Stage.PRE_SEED,
    "Preseed": Stage.PRE_SEED,
    "Hạt giống": Stage.SEED,
    "Series B": Stage.SERIES_B_PLUS,
    "Series C": Stage.SERIES_B_PLUS,
    "Series B trở lên": Stage.SERIES_B_PLUS,
    "Tăng trưởng": Stage.GROWTH,
    "Mở rộng": Stage.GROWTH,
}
SECTOR_ALIASES = {
    "Trí tuệ nhân tạo": Sector.AI,
    "Công nghệ tài chính": Sector.FINTECH,
    "Tài chính": Sector.FINTECH,
    "Nông nghiệp": Sector.AGRITECH,
    "Công nghệ nông nghiệp": Sector.AGRITECH,
    "Giáo dục": Sector.EDTECH,
    "Công nghệ giáo dục": Sector.EDTECH,
    "Y tế": Sector.HEALTHTECH,
    "Công nghệ y tế": Sector.HEALTHTECH,
    "Công nghệ sạch": Sector.CLEANTECH,
    "Năng lượng sạch": Sector.CLEANTECH,
    "Giao thông": Sector.MOBILITY,
    "Di chuyển": Sector.MOBILITY,
    "Thương mại điện tử": Sector.ECOMMERCE,
    "TMĐT": Sector.ECOMMERCE,
    "Ecommerce": Sector.ECOMMERCE,
    "Công nghệ sâu": Sector.DEEPTECH,
    "Bán dẫn": Sector.DEEPTECH,
    "Deep tech": Sector.DEEPTECH,
    "Semiconductors": Sector.DEEPTECH,
    "Công nghệ sinh học": Sector.BIOTECH,
    "Đô thị thông minh": Sector.SMART_CITY,
    "Thành phố thông minh": Sector.SMART_CITY,
    "Truyền thông": Sector.MEDIA,
    "Sáng tạo": Sector.MEDIA,
    "Công nghiệp sáng tạo": Sector.MEDIA,
    "Media": Sector.MEDIA,
    "Khác": Sector.OTHER,
}
REVENUE_SOURCE_ALIASES = {
    "Self-declared": RevenueSource.SELF_DECLARED,
    "Self declared": RevenueSource.SELF_DECLARED,
    "Tự khai": RevenueSource.SELF_DECLARED,
    "Tự kê khai": RevenueSource.SELF_DECLARED,
    "Doanh nghiệp tự khai": RevenueSource.SELF_DECLARED,
    "Audited": RevenueSource.AUDITED,
    "Kiểm toán": RevenueSource.AUDITED,
    "Đã kiểm toán": RevenueSource.AUDITED,
    "Báo cáo kiểm toán": RevenueSource.AUDITED,
    "Báo cáo tài chính đã kiểm toán": RevenueSource.AUDITED,
    "Tax-verified": RevenueSource.TAX_VERIFIED,
    "Tax verified": RevenueSource.TAX_VERIFIED,
    "Thuế xác nhận": RevenueSource.TAX_VERIFIED,
    "Cơ quan thuế xác nhận": RevenueSource.TAX_VERIFIED,
    "Xác nhận của cơ quan thuế": RevenueSource.TAX_VERIFIED,
}
_COMMUNE_PREFIXES = ("phuong ", "xa ", "p. ", "p.", "x. ", "x.")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_SECTOR_SEPARATORS = re.compile(r"[;|]")


class Lookups:
    """The reference data a file is checked against, read once per import."""

    def __init__(self):
        self.communes: dict[str, Commune | None] = {}
        for commune in Commune.objects.all():
            for key in (fold(commune.full_name), commune.folded_name):
                # The same name for a ward and a commune would be ambiguous without its prefix.
                taken = self.communes.get(key)
                self.communes[key] = commune if taken in (None, commune) else None
        self.legal_forms = _choice_table(LegalForm, LEGAL_FORM_ALIASES)
        self.stages = _choice_table(Stage, STAGE_ALIASES)
        self.sectors = _choice_table(Sector, SECTOR_ALIASES)
        self.revenue_sources = _choice_table(RevenueSource, REVENUE_SOURCE_ALIASES)

    def commune(self, text: str) -> Commune:
        folded = fold(text)
        candidates = [folded]
        for prefix in _COMMUNE_PREFIXES:
            if folded.startswith(prefix):
                candidates.append(folded[len(prefix) :].strip())
        for key in candidates:
            if key in self.communes:
                commune = self.communes[key]
                if commune is None:
                    raise ValidationError(
                        _("“%(value)s” is both a ward and a commune; write “Phường …” or “Xã …”.")
                        % {"value": text}
                    )
                return commune
        raise ValidationError(
            _("Unknown ward or commune “%(value)s”; use one of Hanoi's 126 units.")
            % {"value": text}
        )


def _choice(table: dict[str, str], text: str, message: str) -> str:
    value = table.get(header_key(text))
    if value is None:
        raise ValidationError(message % {"value": text})
    return value


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        if match := _ISO_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := _DMY_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise ValidationError(
        _("“%(value)s” is not a date; write 2024-03-15 or 15/03/2024.") % {"value": text}
    )


def _parse_int(value, message: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(message % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise ValidationError(message % {"value": text})


def _parse_money(value) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise ValidationError(_("An amount of money cannot be negative."))
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError(_("Write amounts in whole VND, for example 1.500.000.000."))
        return int(value)
    return parse_vnd(_text(value))


def _parse_code(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = _text(value)
    else:
        text = normalize_enterprise_code(_text(value))
    # A spreadsheet that took the code for a number dropped its leading zero.
    if re.fullmatch(r"\d{9}(-\d{3})?", text):
        text = "0" + text
    validate_enterprise_code(text)
    return text


def _parse_phone(value) -> str:
    text = _text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and len(text) in (9, 10):
        text = "0" + text  # a number cell lost the leading zero
    return normalize_phone(text)


def _parse_website(value) -> str:
    text = _text(value)
    if text and not re.match(r"^[a-z][a-z0-9+.\-]*://", text, re.IGNORECASE):
        text = "https://" + text
    return text


# Messages built only when a value is refused (lazy: a 5,000-row file would translate each
# of them tens of thousands of times otherwise).
UNKNOWN_LEGAL_FORM = gettext_lazy(
    "Unknown legal form “%(value)s”; use LLC, JSC, sole proprietorship, partnership or other "
    "(Vietnamese names are accepted)."
)
UNKNOWN_SECTOR = gettext_lazy("Unknown sector “%(value)s”.")
UNKNOWN_STAGE = gettext_lazy("Unknown stage “%(value)s”.")
BAD_TEAM_SIZE = gettext_lazy("The team size must be a whole number, not “%(value)s”.")
BAD_REVENUE_YEAR = gettext_lazy("The revenue year must be a year, not “%(value)s”.")
UNKNOWN_REVENUE_SOURCE = gettext_lazy(
    "Unknown revenue source “%(value)s”; use self-declared, audited or tax-verified."
)


def _parse_value(column: Column, value, lookups: Lookups):
    name = column.field
    if name == "enterprise_code":
        return _parse_code(value)
    if name == "legal_form":
        return _choice(
            lookups.legal_forms,
            _text(value),
            UNKNOWN_LEGAL_FORM,
        )
    if name == "founded_on":
        return _parse_date(value)
    if name == "commune":
        return lookups.commune(_text(value))
    if name == "sectors":
        sectors = []
        for part in _SECTOR_SEPARATORS.split(_text(value)):
            if part.strip():
                sectors.append(_choice(lookups.sectors, part.strip(), UNKNOWN_SECTOR))
        return list(dict.fromkeys(sectors))
    if name == "stage":
        return _choice(lookups.stages, _text(value), UNKNOWN_STAGE)
    if name == "team_size":
        size = _parse_int(value, BAD_TEAM_SIZE)
        if size < 1:
            raise ValidationError(_("The team size must be at least 1."))
        return size
    if name in ("funding_raised_vnd", "revenue_vnd"):
        return _parse_money(value)
    if name == "revenue_year":
        return _parse_int(value, BAD_REVENUE_YEAR)
    if name == "revenue_source":
        return _choice(
            lookups.revenue_sources,
            _text(value),
            UNKNOWN_REVENUE_SOURCE,
        )
    if name == "contact_phone":
        return _parse_phone(value)
    if name == "website":
        return _parse_website(value)
    if name == "contact_email":
        return _text(value).lower()
    return _text(value)


@dataclass
class ParsedRow:
    number: int
    code: str = ""
    name: str = ""
    code_ok: bool = False
    fields: dict = field(default_factory=dict)
    sectors: list[str] | None = None
    errors: list[str] = field(default_factory=list)


def parse_row(number: int, cells: list, columns: ColumnMap, lookups: Lookups) -> ParsedRow:
    """One row's values, normalised. An empty cell leaves the field as it is (or unset)."""
    row = ParsedRow(number=number)
    for index, column in columns.by_index.items():
        value = cells[index] if index < len(cells) else None
        header = columns.header_of[column.field]
        if column.field == "enterprise_code":
            row.code = normalize_enterprise_code(_text(value))
        if _blank(value):
            if column.required:
                row.errors.append(_("%(column)s: this cell is required.") % {"column": header})
            continue
        try:
            parsed = _parse_value(column, value, lookups)
        except ValidationError as error:
            row.errors.append(f"{header}: {' '.join(error.messages)}")
            continue
        if column.field == "enterprise_code":
            row.code, row.code_ok = parsed, True
        if column.field == "name":
            row.name = parsed
        if column.field == "sectors":
            row.sectors = parsed or None
        else:
            row.fields[column.field] = parsed
    return row


# --- the report ------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    enterprise_code: str
    name: str
    outcome: str
    reason: str = ""
    changed: tuple[str, ...] = ()
    startup_id: int | None = None

    @property
    def outcome_label(self) -> str:
        return Outcome.label(self.outcome)


@dataclass
class ImportReport:
    file_name: str
    committed: bool
    columns: list[str]  # the fields the file holds
    unknown_columns: list[str]
    results: list[RowResult] = field(default_factory=list)

    @property
    def startup_ids(self) -> list[int]:
        """The startups written (created or updated) by a committed import."""
        written = (Outcome.CREATED, Outcome.UPDATED)
        return [r.startup_id for r in self.results if r.outcome in written and r.startup_id]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in Outcome.ALL}

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)

    @property
    def rejected(self) -> int:
        return self.count(Outcome.REJECTED)

    @property
    def total(self) -> int:
        return len(self.results)

    def outcome_of(self, row: int) -> RowResult:
        return next(r for r in self.results if r.row == row)

    def to_csv(self) -> bytes:
        """The downloadable report: one line per row of the file, in the user's language."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("Row"), _("Enterprise code"), _("Name"), _("Outcome"), _("Reason")])
        for r in self.results:
            writer.writerow([r.row, r.enterprise_code, r.name, r.outcome_label, r.reason])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- resolving and writing -------------------------------------------------------------------


@dataclass
class _Plan:
    row: ParsedRow
    startup: Startup
    outcome: str
    sectors: list[str] | None
    changed: list[str]
    was_verified: bool = False


def _field_label(name: str, columns: ColumnMap) -> str:
    if name in columns.header_of:
        return columns.header_of[name]
    if name in COLUMNS_BY_FIELD:
        return COLUMNS_BY_FIELD[name].header()
    try:
        return str(Startup._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 -- a non-field error key
        return ""


def _describe(error: ValidationError, columns: ColumnMap) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        label = _field_label(name, columns) if name != "__all__" else ""
        text = " ".join(messages)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)


def _set_sectors_cache(startup: Startup, sectors: list[str]) -> None:
    """Lets profile_snapshot read the sectors a row sets without querying them."""
    links = [StartupSector(startup=startup, sector=s) for s in sorted(sectors)]
    startup._prefetched_objects_cache = {
        **getattr(startup, "_prefetched_objects_cache", {}),
        "sector_links": links,
    }


def _validate(startup: Startup) -> None:
    # The commune comes from the reference table read at the start, enterprise codes were
    # matched against the database and slugs against every slug in use: the per-row queries of
    # the FK, unique and constraint checks are not needed (the database still enforces them).
    startup.full_clean(
        exclude=["commune", "slug"], validate_unique=False, validate_constraints=False
    )


def _plan_row(
    row: ParsedRow,
    existing: Startup | None,
    columns: ColumnMap,
    slugs: set[str],
) -> _Plan:
    if existing is not None:
        startup = existing
        before = services.profile_snapshot(startup)
        was_verified = startup.status == Status.VERIFIED
        services._apply(startup, row.fields)
        if startup.name != before["name"]:
            current = startup.slug  # its own slug may be kept; it stays reserved until written
            slugs.discard(current)
            startup.slug = unique_slug(startup.name, taken=slugs, fallback="startup")
            slugs.add(current)
        if row.sectors is not None:
            _set_sectors_cache(startup, row.sectors)
        _validate(startup)
        after = services.profile_snapshot(startup)
        changed = sorted(name for name in after if after[name] != before[name])
        slugs.add(startup.slug)
        outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        return _Plan(row, startup, outcome, row.sectors, changed, was_verified)

    given = set(row.fields) | ({"sectors"} if row.sectors else set())
    missing = [name for name in NEEDED_TO_CREATE if name not in given]
    if missing:
        raise ValidationError(
            _("A new startup also needs: %(columns)s.")
            % {"columns": ", ".join(_field_label(name, columns) for name in missing)}
        )
    startup = Startup(status=Status.VERIFIED, origin=Origin.IMPORTED)
    services._apply(startup, row.fields)
    startup.slug = unique_slug(startup.name, taken=slugs, fallback="startup")
    startup.verified_at = timezone.now()
    services._start_confirmation_period(startup)
    _validate(startup)
    slugs.add(startup.slug)
    return _Plan(row, startup, Outcome.CREATED, row.sectors, [], False)


def _existing(codes: list[str], lock: bool) -> dict[str, Startup]:
    queryset = Startup.objects.filter(enterprise_code__in=codes).select_related("commune")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return {
        startup.enterprise_code: startup for startup in queryset.prefetch_related("sector_links")
    }


def _write(plans: list[_Plan], *, user: User | None, file_name: str) -> None:
    """The chunk's writes, in a constant number of queries."""
    now = timezone.now()
    created = [p for p in plans if p.outcome == Outcome.CREATED]
    updated = [p for p in plans if p.outcome == Outcome.UPDATED]
    if created:
        Startup.objects.bulk_create([p.startup for p in created])
        for plan in created:
            if plan.startup.pk is None:  # a database that cannot return bulk-inserted keys
                plan.startup.pk = Startup.objects.get(
                    enterprise_code=plan.startup.enterprise_code
                ).pk
    if updated:
        fields = {"slug", "updated_at"}
        for plan in updated:
            plan.startup.updated_at = now
            fields.update(n for n in plan.changed if n != "sectors")
        Startup.objects.bulk_update([p.startup for p in updated], sorted(fields))
    resectored = [p for p in updated if "sectors" in p.changed]
    if resectored:
        StartupSector.objects.filter(startup__in=[p.startup for p in resectored]).delete()
    StartupSector.objects.bulk_create(
        [
            StartupSector(startup=p.startup, sector=sector)
            for p in created + resectored
            for sector in p.sectors
        ]
    )
    note = _("Imported from %(file)s") % {"file": file_name} if file_name else _("Imported")
    Transition.objects.bulk_create(
        [
            Transition(
                startup=p.startup, from_status="", to_status=Status.VERIFIED, actor=user, note=note
            )
            for p in created
        ]
    )
    revisions = []
    for plan in created + [p for p in updated if p.was_verified]:
        if plan.sectors is not None:
            _set_sectors_cache(plan.startup, plan.sectors)
        revisions.append(
            Revision(
                startup=plan.startup,
                data=services.profile_snapshot(plan.startup),
                author=user,
                is_verified_state=plan.outcome == Outcome.CREATED,
            )
        )
    Revision.objects.bulk_create(revisions)
    audit_log_many(
        [
            (
                p.startup,
                {"file": file_name, "row": p.row.number, "outcome": p.outcome, "fields": p.changed},
            )
            for p in created + updated
        ],
        AUDIT_ACTION,
        user=user,
    )


def _process_chunk(
    rows: list[ParsedRow],
    *,
    commit: bool,
    user: User | None,
    columns: ColumnMap,
    slugs: set[str],
    file_name: str,
) -> list[RowResult]:
    """Decides (and, when committing, writes) the outcome of each row of the chunk."""
    results: dict[int, RowResult] = {}
    with transaction.atomic():
        existing = _existing([r.code for r in rows], lock=commit)
        plans = []
        for row in rows:
            try:
                plan = _plan_row(row, existing.get(row.code), columns, slugs)
            except ValidationError as error:
                results[row.number] = _rejected(row, _describe(error, columns))
                continue
            plans.append(plan)
        if commit:
            _write(
                [p for p in plans if p.outcome != Outcome.UNCHANGED], user=user, file_name=file_name
            )
        for plan in plans:
            results[plan.row.number] = RowResult(
                plan.row.number,
                plan.row.code,
                plan.startup.name,
                plan.outcome,
                changed=tuple(plan.changed),
                startup_id=plan.startup.pk if commit else None,
            )
    return [results[r.number] for r in rows]


def _rejected(row: ParsedRow, reason: str) -> RowResult:
    return RowResult(row.number, row.code, row.name, Outcome.REJECTED, reason)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _enqueue_indexing(ids: list[int]) -> None:
    from search.tasks import refresh_search_documents

    for batch in _chunks([str(pk) for pk in ids], INDEX_BATCH):
        refresh_search_documents.enqueue("startups", batch)


def import_startups(
    *,
    data: bytes,
    user: User | None,
    commit: bool,
    file_name: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Previews (`commit=False`: nothing is written) or imports a CSV/XLSX file of startups.
    Raises PortalError when the file as a whole is refused (type, size, missing columns)."""
    table = read_table(data)
    columns = map_columns(table.headers)
    lookups = Lookups()
    report = ImportReport(
        file_name=file_name,
        committed=commit,
        columns=list(columns.header_of),
        unknown_columns=columns.unknown,
    )
    parsed = [parse_row(number, cells, columns, lookups) for number, cells in table.rows]

    first_row_of: dict[str, int] = {}
    valid: list[ParsedRow] = []
    early: dict[int, RowResult] = {}
    for row in parsed:
        if row.code_ok and row.code in first_row_of:
            row.errors.append(
                _("The enterprise code %(code)s already appears in row %(row)s of this file.")
                % {"code": row.code, "row": first_row_of[row.code]}
            )
        elif row.code_ok:
            first_row_of[row.code] = row.number
        if row.errors:
            early[row.number] = _rejected(row, "; ".join(row.errors))
        else:
            valid.append(row)

    slugs = set(Startup.objects.values_list("slug", flat=True))
    decided: dict[int, RowResult] = dict(early)
    total, done = len(parsed), len(early)
    if progress:
        progress(done, total)
    for chunk in _chunks(valid, CHUNK_SIZE):
        for result in _run_chunk(chunk, commit, user, columns, slugs, file_name):
            decided[result.row] = result
        done += len(chunk)
        if progress:
            progress(done, total)

    report.results = [decided[row.number] for row in parsed]
    if commit and (ids := report.startup_ids):
        transaction.on_commit(lambda: _enqueue_indexing(ids))
    return report


def _run_chunk(chunk, commit, user, columns, slugs, file_name) -> list[RowResult]:
    """The chunk in one savepoint; if the database refuses it, row by row, each on its own."""
    snapshot = set(slugs)
    try:
        return _process_chunk(
            chunk, commit=commit, user=user, columns=columns, slugs=slugs, file_name=file_name
        )
    except DatabaseError:
        if len(chunk) == 1:
            slugs.clear()
            slugs.update(snapshot)
            return [
                _rejected(
                    chunk[0],
                    _(
                        "The database refused this row (a record with the same enterprise code "
                        "or name may have been saved meanwhile); import the file again."
                    ),
                )
            ]
    slugs.clear()
    slugs.update(snapshot)
    results = []
    for row in chunk:  # each attempt reads the rows' startups afresh
        results.extend(_run_chunk([row], commit, user, columns, slugs, file_name))
    return results
