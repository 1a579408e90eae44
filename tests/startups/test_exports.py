import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.accounts.roles import Role
from portal.core.models import Commune
from startups.imports import import_startups
from startups.models import Status
from tests.factories import make_user, with_mfa
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

EXPORT = "/startups/export/"
PRIVATE_VALUES = ("7654321000", "lan@xanh.example.vn", "0987654321", "Audited", "audited")


@pytest.fixture
def registry(django_capture_on_commit_callbacks):
    """Verified startups indexed as production indexes them, plus unlisted ones."""
    with django_capture_on_commit_callbacks(execute=True):
        green = make_startup(
            status=Status.VERIFIED,
            name="Công ty Nông nghiệp Xanh",
            enterprise_code="0100000001",
            sectors=("agritech", "cleantech"),
            stage="seed",
            founded_on=datetime.date(2021, 5, 4),
            team_size=14,
            website="https://xanh.example.vn",
            funding_raised_vnd=3_000_000_000,
            revenue_vnd=7_654_321_000,
            revenue_year=2025,
            revenue_source="audited",
            contact_email="lan@xanh.example.vn",
            contact_phone="0987654321",
            pitch='=HYPERLINK("http://evil.example")',
        )
        wallet = make_startup(
            status=Status.VERIFIED,
            name="Ví Điện Tử Đống Đa",
            enterprise_code="0100000002-001",
            sectors=("fintech",),
            stage="series_a",
            commune=Commune.objects.get(full_name="Phường Ba Đình"),
            founded_on=datetime.date(2019, 1, 10),
            revenue_vnd=None,
            revenue_year=None,
            revenue_source="",
        )
        make_startup(status=Status.SUBMITTED, name="Chờ duyệt", enterprise_code="0100000003")
        make_startup(status=Status.DRAFT, name="Bản nháp", enterprise_code="0100000004")
    return green, wallet


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # Excel reads the Vietnamese correctly
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def staff_client(client):
    client.force_login(with_mfa(make_user(Role.DEPARTMENT_STAFF)))
    return client


def test_public_export_has_listed_startups_and_public_columns_only(client, registry):
    response = client.get(EXPORT + "?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="startups-')
    rows = read_csv(response)
    assert rows[0] == [
        "Tên doanh nghiệp",
        "Mã số doanh nghiệp",
        "Tên tiếng Anh",
        "Loại hình",
        "Ngày thành lập",
        "Phường/Xã",
        "Địa chỉ",
        "Lĩnh vực",
        "Giai đoạn",
        "Số nhân sự",
        "Website",
        "Giới thiệu ngắn",
        "Vốn đã huy động (VND)",
    ]
    assert [r[0] for r in rows[1:]] == ["Công ty Nông nghiệp Xanh", "Ví Điện Tử Đống Đa"]
    green = dict(zip(rows[0], rows[1], strict=True))
    assert green["Mã số doanh nghiệp"] == "0100000001"
    assert green["Ngày thành lập"] == "2021-05-04"
    assert green["Phường/Xã"] == "Phường Hoàn Kiếm"
    assert green["Vốn đã huy động (VND)"] == "3000000000"
    assert green["Giới thiệu ngắn"].startswith("'=")  # never a formula in a spreadsheet
    body = "\n".join(",".join(r) for r in rows)
    for value in PRIVATE_VALUES:
        assert value not in body


def test_staff_export_adds_revenue_and_contact_columns(client, registry):
    response = staff_client(client).get("/en/startups/export/?format=csv")

    rows = read_csv(response)
    assert rows[0][-5:] == [
        "revenue_vnd",
        "revenue_year",
        "revenue_source",
        "contact_email",
        "contact_phone",
    ]
    green = dict(zip(rows[0], rows[1], strict=True))
    assert green["revenue_vnd"] == "7654321000"
    assert green["revenue_source"] == "Audited statement"
    assert green["contact_email"] == "lan@xanh.example.vn"
    assert green["sectors"] == "Agritech; Cleantech"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", [Role.FOUNDER, Role.REVIEWER, Role.FUND_MANAGER])
def test_other_roles_get_the_public_columns(client, registry, role):
    user = make_user(role)
    if role != Role.FOUNDER:
        with_mfa(user)
    client.force_login(user)
    rows = read_csv(client.get(EXPORT))
    assert "Doanh thu (VND)" not in rows[0] and "Email liên hệ" not in rows[0]


def test_xlsx_export(client, registry):
    response = staff_client(client).get(EXPORT + "?format=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Tên doanh nghiệp", "Mã số doanh nghiệp")
    green = dict(zip(rows[0], rows[1], strict=True))
    assert green["Mã số doanh nghiệp"] == "0100000001"  # text: the leading zero stays
    assert green["Doanh thu (VND)"] == 7_654_321_000
    assert green["Ngày thành lập"].date() == datetime.date(2021, 5, 4)
    assert green["Giới thiệu ngắn"].startswith("=HYPERLINK")
    assert sheet.cell(row=2, column=12).data_type == "s"  # a string, not a formula


@pytest.mark.parametrize(
    "query,names",
    [
        ("sector=fintech", ["Ví Điện Tử Đống Đa"]),
        ("stage=seed&stage=series_a", ["Công ty Nông nghiệp Xanh", "Ví Điện Tử Đống Đa"]),
        ("commune=phuong-ba-dinh", ["Ví Điện Tử Đống Đa"]),
        ("founded_year=2021", ["Công ty Nông nghiệp Xanh"]),
        ("verification=stale", []),
        ("q=nong+nghiep", ["Công ty Nông nghiệp Xanh"]),
        ("q=dien+tu&sector=agritech", []),
        ("q=cho+duyet", []),
    ],
)
def test_the_directory_filters_apply(client, registry, query, names):
    rows = read_csv(client.get(f"{EXPORT}?{query}"))
    assert [r[0] for r in rows[1:]] == names


def test_bad_parameters_are_refused_clearly(client, registry):
    with translation.override("en"):
        response = client.get("/en/startups/export/?format=pdf")
        assert response.status_code == 400
        assert "use csv or xlsx" in response.content.decode()
        response = client.get("/en/startups/export/?format=csv&sector=spaceships")
        assert response.status_code == 400
        assert "spaceships" in response.content.decode()


def test_queries_do_not_grow_with_the_number_of_rows(client, registry):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            read_csv(client.get(EXPORT))
        return len(captured)

    few = queries()
    for n in range(6):
        make_startup(status=Status.VERIFIED, name=f"Thêm {n}", sectors=("ai", "biotech"))
    assert queries() == few


def test_a_staff_export_imports_back_unchanged(client, registry):
    body = b"".join(staff_client(client).get(EXPORT).streaming_content)

    report = import_startups(data=body, user=None, commit=False, file_name="export.csv")

    assert report.unknown_columns == []
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    english = client.get("/en/startups/export/?format=xlsx").content
    report = import_startups(data=english, user=None, commit=False, file_name="export.xlsx")
    assert report.counts["unchanged"] == 2
