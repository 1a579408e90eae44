import io
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from portal.core.models import Commune
from portal.files.models import PrivateFile
from search.base import SearchRequest
from search.engines import get_engine
from search.tasks import refresh_search_documents
from startups import imports
from startups.imports import Lookups, Outcome, import_startups
from startups.models import Origin, Revision, Startup, StartupSector, Status, Transition
from tests.factories import make_user, with_mfa
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Reasons are asserted word for word in English; the Vietnamese catalogue translates them.
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).parent / "fixtures"
MESSY = FIXTURES / "messy.csv"
IMPORT_URL = "/admin/startups/import/"

HEADER = "name,enterprise_code,legal_form,commune,sectors,stage"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def run(data: bytes, *, commit: bool = True, user=None) -> imports.ImportReport:
    return import_startups(data=data, user=user, commit=commit, file_name="test.csv")


def outcomes(report) -> dict[int, str]:
    return {r.row: r.outcome for r in report.results}


def written_rows() -> dict[str, int]:
    return {
        "startups": Startup.objects.count(),
        "sectors": StartupSector.objects.count(),
        "transitions": Transition.objects.count(),
        "revisions": Revision.objects.count(),
        "log": ModelLogEntry.objects.filter(action="startups.import").count(),
    }


# --- the messy file --------------------------------------------------------------------------


def test_messy_file_every_row_has_its_exact_outcome():
    """BOM, semicolons, Vietnamese headers in any case, an unknown column, a duplicate code and
    bad rows; the header is row 1."""
    staff = make_user(Role.DEPARTMENT_STAFF)

    report = run(MESSY.read_bytes(), user=staff)

    assert outcomes(report) == {
        2: "created",
        3: "created",
        4: "rejected",
        5: "rejected",
        6: "rejected",
        7: "rejected",
        8: "rejected",
        9: "created",
    }
    reasons = {r.row: r.reason for r in report.results}
    assert reasons[4] == "The enterprise code 0109876543 already appears in row 2 of this file."
    assert reasons[5] == "Ngày thành lập: The founding date cannot be in the future."
    assert "Unknown ward or commune “Xã Không Có”" in reasons[6]
    assert reasons[6].startswith("phuong/xa: ")
    assert reasons[7].startswith("MÃ SỐ DOANH NGHIỆP: An enterprise code has 10 digits")
    assert reasons[8] == "Vốn đã huy động (VND): An amount of money cannot be negative."
    assert report.unknown_columns == ["Ghi chú"]
    assert report.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 5}
    assert not Startup.objects.filter(enterprise_code__in=["0105555555", "0106666666"]).exists()

    green = Startup.objects.get(enterprise_code="0109876543")
    assert green.name == "Công ty Cổ phần Nông Nghiệp Xanh"
    assert green.legal_form == "jsc"
    assert green.founded_on == date(2021, 3, 15)
    assert green.commune.full_name == "Phường Hoàn Kiếm"
    assert sorted(green.sector_codes) == ["agritech", "ai"]
    assert green.stage == "seed"
    assert green.team_size == 12
    assert green.website == "https://xanh.vn"
    assert green.funding_raised_vnd == 1_500_000_000
    assert green.revenue_vnd == 2_000_000_000
    assert green.revenue_year == 2024
    assert green.revenue_source == "audited"
    assert green.contact_email == "lienhe@xanh.vn"
    assert green.contact_phone == "0912345678"

    branch = Startup.objects.get(enterprise_code="0101234567-001")
    assert branch.commune.full_name == "Phường Ba Đình"
    assert branch.legal_form == "llc"
    assert branch.stage == "series_a"
    assert branch.contact_phone == "02438251234"

    sole = Startup.objects.get(enterprise_code="0108888888")
    assert sole.name == "Doanh nghiệp tư nhân An Bình; Hà Nội"
    assert sole.legal_form == "sole_proprietorship"
    assert sole.founded_on == date(2019, 2, 1)
    assert sole.commune.full_name == "Xã Sóc Sơn"
    assert sole.sector_codes == ["ecommerce"]
    assert sole.stage == "idea"


def test_created_startups_enter_verified_with_their_history():
    staff = make_user(Role.DEPARTMENT_STAFF)
    run(MESSY.read_bytes(), user=staff)

    startup = Startup.objects.get(enterprise_code="0109876543")
    assert startup.status == Status.VERIFIED
    assert startup.origin == Origin.IMPORTED
    assert startup.is_listed and not startup.is_stale
    assert startup.verified_at is not None
    assert startup.confirmation_due_on == timezone.localdate() + timedelta(days=365)
    assert startup.slug == "cong-ty-co-phan-nong-nghiep-xanh"
    assert not startup.memberships.exists()  # claimable by its founders
    transition = startup.transitions.get()
    assert (transition.from_status, transition.to_status) == ("", Status.VERIFIED)
    assert transition.actor == staff
    revision = startup.revisions.get()
    assert revision.is_verified_state
    assert revision.data["sectors"] == ["agritech", "ai"]
    assert revision.data["commune"] == "Phường Hoàn Kiếm"
    entry = ModelLogEntry.objects.get(action="startups.import", object_id=str(startup.pk))
    assert entry.user == staff
    assert entry.data["row"] == 2


def test_running_the_same_file_again_changes_nothing():
    run(MESSY.read_bytes())
    before = written_rows()
    stamps = dict(Startup.objects.values_list("pk", "updated_at"))

    report = run(MESSY.read_bytes())

    assert report.counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 5}
    assert written_rows() == before
    assert dict(Startup.objects.values_list("pk", "updated_at")) == stamps


def test_preview_writes_nothing_and_predicts_the_import():
    make_startup(status=Status.VERIFIED, enterprise_code="0101234567-001", name="Cũ")
    before = written_rows()

    preview = run(MESSY.read_bytes(), commit=False)

    assert written_rows() == before
    assert not preview.committed
    assert preview.startup_ids == []
    assert Startup.objects.get(enterprise_code="0101234567-001").name == "Cũ"
    committed = run(MESSY.read_bytes())
    assert outcomes(preview) == outcomes(committed)
    assert outcomes(committed)[3] == "updated"


# --- updates ---------------------------------------------------------------------------------


def test_an_update_changes_only_the_columns_in_the_file_and_keeps_a_revision():
    staff = make_user(Role.DEPARTMENT_STAFF)
    startup = make_startup(
        status=Status.VERIFIED,
        enterprise_code="0101111111",
        name="Công ty Cũ",
        website="https://cu.vn",
        team_size=4,
    )
    revisions = startup.revisions.count()
    data = csv_bytes(
        "Công ty Mới,0101111111,,,fintech;ai,",
        header="name,enterprise_code,team_size,website,sectors,stage",
    )

    report = run(data, user=staff)

    result = report.outcome_of(2)
    assert result.outcome == Outcome.UPDATED
    assert set(result.changed) == {"name", "sectors"}
    startup.refresh_from_db()
    assert startup.name == "Công ty Mới"
    assert startup.slug == "cong-ty-moi"
    assert startup.team_size == 4  # empty cell: left as it was
    assert startup.website == "https://cu.vn"
    assert sorted(startup.sector_codes) == ["ai", "fintech"]
    assert startup.contact_email  # not a column of the file
    assert startup.status == Status.VERIFIED
    assert startup.revisions.count() == revisions + 1
    latest = startup.revisions.first()
    assert latest.data["name"] == "Công ty Mới" and not latest.is_verified_state
    assert ModelLogEntry.objects.get(action="startups.import").data["fields"] == ["name", "sectors"]
    assert report.startup_ids == [startup.pk]


def test_an_update_is_validated_like_any_other():
    startup = make_startup(status=Status.VERIFIED, enterprise_code="0102222222")
    future = (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")
    data = csv_bytes(f"Tên mới,0102222222,{future}", header="name,enterprise_code,founded_on")

    report = run(data)

    assert report.outcome_of(2).outcome == Outcome.REJECTED
    assert "future" in report.outcome_of(2).reason
    startup.refresh_from_db()
    assert startup.name != "Tên mới"


def test_a_new_startup_needs_the_fields_the_registry_requires():
    report = run(csv_bytes("Thiếu,0103333333", header="name,enterprise_code"))

    assert report.outcome_of(2).outcome == Outcome.REJECTED
    assert "legal_form" in report.outcome_of(2).reason or "Loại hình" in report.outcome_of(2).reason
    assert not Startup.objects.exists()


# --- all or nothing --------------------------------------------------------------------------


def test_each_row_is_all_or_nothing(monkeypatch):
    """The database refuses one row's revision after its startup and sectors were inserted: the
    chunk is redone row by row, the row at fault leaves no trace, the others are imported."""
    real = Revision.objects.bulk_create

    def refuse_bad(revisions, *args, **kwargs):
        if any(r.startup.name == "Hỏng" for r in revisions):
            raise IntegrityError("simulated")
        return real(revisions, *args, **kwargs)

    monkeypatch.setattr(Revision.objects, "bulk_create", refuse_bad)
    data = csv_bytes(
        "Tốt Một,0104000001,llc,Hoàn Kiếm,ai,seed",
        "Hỏng,0104000002,llc,Hoàn Kiếm,ai,seed",
        "Tốt Hai,0104000003,llc,Hoàn Kiếm,ai,seed",
    )

    report = run(data)

    assert outcomes(report) == {2: "created", 3: "rejected", 4: "created"}
    assert "refused" in report.outcome_of(3).reason
    assert not Startup.objects.filter(enterprise_code="0104000002").exists()
    assert not Transition.objects.filter(startup__name="Hỏng").exists()
    assert StartupSector.objects.count() == 2
    assert Transition.objects.count() == Revision.objects.count() == 2


# --- formats ---------------------------------------------------------------------------------


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_number_and_date_cells():
    data = xlsx_bytes(
        [
            [
                "Tên doanh nghiệp",
                "Mã số doanh nghiệp",
                "Loại hình",
                "Ngày thành lập",
                "Phường/Xã",
                "Lĩnh vực",
                "Giai đoạn",
                "Số nhân sự",
                "Doanh thu (VND)",
                "Năm doanh thu",
                "Nguồn số liệu doanh thu",
                "Điện thoại",
            ],
            # Excel took the code and the phone for numbers and dropped their leading zeros.
            [
                "Robot Hà Nội",
                105000001,
                "Công ty TNHH",
                datetime(2022, 5, 1),
                "xa soc son",
                "Trí tuệ nhân tạo; Robotics",
                "Series A",
                8.0,
                150_000_000_000,
                2024,
                "Tax-verified",
                912345678,
            ],
            [
                "Y tế Số",
                "0105000002",
                "Công ty hợp danh",
                "2023-01-31",
                "Phường Ba Đình",
                "healthtech",
                "growth",
                3,
                "",
                "",
                "",
                "",
            ],
            [None, None, None],
            ["Số âm", "0105000003", "LLC", "2023-01-31", "Ba Đình", "ai", "seed", 0],
        ]
    )

    report = import_startups(data=data, user=None, commit=True, file_name="x.xlsx")

    assert outcomes(report) == {2: "rejected", 3: "created", 5: "rejected"}
    assert "Unknown sector “Robotics”" in report.outcome_of(2).reason
    assert report.outcome_of(5).reason == "Số nhân sự: The team size must be at least 1."
    health = Startup.objects.get(enterprise_code="0105000002")
    assert health.legal_form == "partnership" and health.founded_on == date(2023, 1, 31)

    fixed = xlsx_bytes(
        [
            [
                "name",
                "enterprise_code",
                "legal_form",
                "founded_on",
                "commune",
                "sectors",
                "stage",
                "team_size",
                "revenue_vnd",
                "revenue_year",
                "revenue_source",
                "contact_phone",
            ],
            [
                "Robot Hà Nội",
                105000001,
                "Công ty TNHH",
                datetime(2022, 5, 1),
                "xa soc son",
                "Trí tuệ nhân tạo|deeptech",
                "Series A",
                8.0,
                150_000_000_000,
                2024,
                "Tax-verified",
                912345678,
            ],
        ]
    )
    report = import_startups(data=fixed, user=None, commit=True, file_name="x.xlsx")
    assert outcomes(report) == {2: "created"}
    robot = Startup.objects.get(enterprise_code="0105000001")
    assert robot.commune.full_name == "Xã Sóc Sơn"
    assert robot.founded_on == date(2022, 5, 1)
    assert robot.team_size == 8
    assert robot.revenue_vnd == 150_000_000_000 and robot.revenue_source == "tax_verified"
    assert robot.contact_phone == "0912345678"
    assert sorted(robot.sector_codes) == ["ai", "deeptech"]


def test_comma_csv_without_bom_and_english_headers_in_any_case():
    data = csv_bytes(
        '"Name, with comma",0106000001,JSC,phường hoàn kiếm,"edtech | fintech",Pre-seed',
        header="NAME,Enterprise Code,Legal form,COMMUNE,Sectors,stage",
    )
    report = run(data)
    assert outcomes(report) == {2: "created"}
    startup = Startup.objects.get()
    assert startup.name == "Name, with comma"
    assert sorted(startup.sector_codes) == ["edtech", "fintech"]
    assert startup.stage == "pre_seed"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Hoàn Kiếm", "Phường Hoàn Kiếm"),
        ("hoan kiem", "Phường Hoàn Kiếm"),
        ("PHƯỜNG HOÀN KIẾM", "Phường Hoàn Kiếm"),
        ("Phuong Hoan Kiem", "Phường Hoàn Kiếm"),
        ("P. Hoàn Kiếm", "Phường Hoàn Kiếm"),
        ("Sóc Sơn", "Xã Sóc Sơn"),
        ("Xa Soc Son", "Xã Sóc Sơn"),
    ],
)
def test_communes_match_with_or_without_prefix_and_diacritics(text, expected):
    assert Lookups().commune(text) == Commune.objects.get(full_name=expected)


@pytest.mark.parametrize(
    "column,text,expected",
    [
        ("legal_form", "Công ty TNHH", "llc"),
        ("legal_form", "cong ty co phan", "jsc"),
        ("legal_form", "Doanh nghiệp tư nhân", "sole_proprietorship"),
        ("legal_form", "Công ty hợp danh", "partnership"),
        ("legal_form", "Limited liability company", "llc"),
        ("stage", "Series B+", "series_b_plus"),
        ("stage", "pre_seed", "pre_seed"),
        ("revenue_source", "self-declared", "self_declared"),
        ("revenue_source", "Tự khai", "self_declared"),
        ("revenue_source", "Kiểm toán", "audited"),
        ("revenue_source", "Cơ quan thuế xác nhận", "tax_verified"),
        ("sectors", "Deep tech / semiconductors; E-commerce", ["deeptech", "ecommerce"]),
        ("founded_on", "2024-03-15", date(2024, 3, 15)),
        ("founded_on", "15/03/2024", date(2024, 3, 15)),
        ("funding_raised_vnd", "1,500,000,000", 1_500_000_000),
        ("enterprise_code", " 0101 234 567 ", "0101234567"),
        ("contact_phone", "0912.345.678", "0912345678"),
    ],
)
def test_values_are_normalised(column, text, expected):
    value = imports._parse_value(imports.COLUMNS_BY_FIELD[column], text, Lookups())
    assert value == expected


# --- refused files ---------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    "data,code",
    [
        (PNG, "file_type"),
        (b"", "file_empty"),
        ("name,enterprise_code\nCông ty,0101234567\n".encode("cp1258"), "file_encoding"),
        (b"PK\x03\x04" + b"\x00" * 64, "file_type"),
        (csv_bytes("x", header="name,website"), "missing_columns"),
        (csv_bytes("x,y,z", header="name,Tên doanh nghiệp,enterprise_code"), "duplicate_column"),
    ],
)
def test_wrong_files_are_refused_whole_and_change_nothing(data, code):
    with pytest.raises(PortalError) as refused:
        run(data)
    assert refused.value.code == code
    assert not Startup.objects.exists()


def test_missing_columns_are_named_in_the_message():
    with pytest.raises(PortalError) as refused:
        run(csv_bytes("x", header="name,website"))
    assert "Mã số doanh nghiệp" in str(refused.value.message)
    assert "enterprise_code" in str(refused.value.message)


def test_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    with pytest.raises(PortalError) as refused:
        run(csv_bytes(*["Tên,0101234567,llc,Ba Đình,ai,seed"] * 5))
    assert refused.value.code == "file_too_large"


def test_the_report_lists_every_row_as_csv():
    report = run(MESSY.read_bytes(), commit=False)
    lines = report.to_csv().decode("utf-8-sig").splitlines()
    assert lines[0] == "Row,Enterprise code,Name,Outcome,Reason"
    assert len(lines) == 1 + 8
    assert lines[3].startswith("4,0109876543,Trùng mã,Rejected,The enterprise code")


def test_imported_startups_are_indexed_in_bulk_after_commit(django_capture_on_commit_callbacks):
    with (
        mock.patch("search.signals.refresh_search_document") as one_by_one,
        mock.patch("search.tasks.refresh_search_documents", wraps=refresh_search_documents) as bulk,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run(MESSY.read_bytes())
    assert bulk.enqueue.call_count == 1 and not one_by_one.enqueue.called
    results = get_engine().search(SearchRequest(types=("startups",), text="nong nghiep xanh"))
    assert [hit.title for hit in results.hits] == ["Công ty Cổ phần Nông Nghiệp Xanh"]


# --- the command -----------------------------------------------------------------------------


def test_the_command_previews_imports_and_writes_the_report(tmp_path):
    out = io.StringIO()
    call_command("import_startups", str(MESSY), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "3 created" in out.getvalue()
    assert "8/8" in out.getvalue()  # the progress bar reached the end
    assert not Startup.objects.exists()

    staff = make_user(Role.DEPARTMENT_STAFF)
    report = tmp_path / "report.csv"
    out = io.StringIO()
    call_command(
        "import_startups", str(MESSY), "--report", str(report), "--user", staff.email, stdout=out
    )
    assert "Done: 3 created, 0 updated, 0 unchanged, 5 rejected (8 rows)." in out.getvalue()
    assert "row 4 (0109876543)" in out.getvalue()
    assert "Unknown columns, ignored: “Ghi chú”" in out.getvalue()
    assert Startup.objects.count() == 3
    assert Transition.objects.filter(actor=staff).count() == 3
    assert report.read_bytes().startswith("\ufeff".encode())


def test_the_command_refuses_a_wrong_file_with_an_error(tmp_path):
    fake = tmp_path / "picture.csv"
    fake.write_bytes(PNG)
    with pytest.raises(CommandError, match="not a CSV or XLSX"):
        call_command("import_startups", str(fake), "--language", "en", stdout=io.StringIO())
    with pytest.raises(CommandError, match="không phải bảng tính CSV hoặc XLSX"):
        call_command("import_startups", str(fake), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not department staff"):
        call_command(
            "import_startups",
            str(MESSY),
            "--user",
            make_user().email,
            "--language",
            "en",
            stdout=io.StringIO(),
        )


# --- the admin view --------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    staff = with_mfa(make_user(Role.DEPARTMENT_STAFF))
    client.force_login(staff)
    client.staff = staff
    return client


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_only_registry_staff_reach_the_import(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    client.force_login(make_user(Role.FOUNDER))
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    client.force_login(with_mfa(make_user(Role.FUND_MANAGER)))
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(IMPORT_URL, {"file": upload("a.csv", MESSY.read_bytes())})
    assert response.status_code == 302
    assert not Startup.objects.exists() and not PrivateFile.objects.exists()

    client.force_login(make_user(Role.DEPARTMENT_STAFF))  # staff without MFA: set it up first
    assert client.get(IMPORT_URL)["Location"].endswith("/accounts/2fa/totp/activate/")


def test_staff_preview_then_import_then_download_the_report(staff_client):
    assert staff_client.get(IMPORT_URL).status_code == 200
    assert "/admin/startups/import/" in staff_client.get("/admin/").content.decode()

    response = staff_client.post(IMPORT_URL, {"file": upload("ds.csv", MESSY.read_bytes())})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ghi chú" in html and "Trùng mã" in html
    assert response.context["report"].counts["created"] == 3
    assert not Startup.objects.exists()
    stored = PrivateFile.objects.get(original_name="ds.csv")
    assert stored.owner == staff_client.staff

    response = staff_client.post(IMPORT_URL, {"upload": str(stored.pk)})

    assert response.status_code == 200
    assert response.context["report"].committed
    assert Startup.objects.count() == 3
    assert Transition.objects.filter(actor=staff_client.staff).count() == 3
    report = staff_client.get(response.context["report_url"])
    assert report.status_code == 200
    assert "Trùng mã" in b"".join(report.streaming_content).decode("utf-8-sig")


def test_the_admin_refuses_wrong_files_and_others_uploads(staff_client):
    response = staff_client.post(IMPORT_URL, {"file": upload("photo.csv", PNG)})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not PrivateFile.objects.exists()

    response = staff_client.post(
        IMPORT_URL, {"file": upload("x.csv", csv_bytes("x", header="name,website"))}
    )
    assert response.status_code == 400
    [error] = response.context["form"].errors["file"]
    assert "Mã số doanh nghiệp" in error and error in response.content.decode()
    assert not PrivateFile.objects.filter(original_name="x.csv").exists()

    other = make_user(Role.DEPARTMENT_STAFF)
    staff_client.post(IMPORT_URL, {"file": upload("ds.csv", MESSY.read_bytes())})
    stored = PrivateFile.objects.get(original_name="ds.csv")
    stored.owner = other
    stored.save()
    assert staff_client.post(IMPORT_URL, {"upload": str(stored.pk)}).status_code == 404
    assert not Startup.objects.exists()
