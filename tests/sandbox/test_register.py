"""The public sandbox register: the searchable list (Vietnamese-aware text, facets, sorting,
pages, constant queries), "check a firm", each entry's page with its dated history and
documents, the JSON/CSV forms matching the pages, the concern form and its spam and rate
limits, and the home page's figure."""

import csv
import io
import re
import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation

from portal.accounts.roles import Role
from portal.notifications.models import Notification
from sandbox import home_hooks, services
from sandbox.models import AmendmentKind, ApplicationStatus, Concern, EntryStatus
from sandbox.public_forms import form_token
from startups.models import Startup, Status
from tests.conftest import count_queries
from tests.factories import make_user
from tests.factories.sandbox import make_application
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CARS_CODE = "0109876543"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(name="register")
def register_fixture(django_capture_on_commit_callbacks):
    """Entries in five statuses with histories and documents, indexed the way production indexes
    them: by the task queued after each commit (the test task backend runs it at once)."""
    today = date.today()
    with django_capture_on_commit_callbacks(execute=True):
        staff = make_user(Role.DEPARTMENT_STAFF)
        owner = make_user()
        startup = make_startup(owner=owner, status=Status.VERIFIED, name="Xe Tự Hành Hà Nội")

        def approve(number, decided, agency, applicant=None, **fields):
            application = make_application(
                applicant=applicant, status=ApplicationStatus.SUBMITTED, staff=staff, **fields
            )
            return services.application_approve(
                user=staff,
                application=application,
                decision_number=number,
                decision_date=decided,
                agency=agency,
                scope=f"Phạm vi thử nghiệm của {fields['organisation_name']}.",
                exemptions="Miễn một phần yêu cầu cấp phép.",
                conditions="Báo cáo sự cố trong 24 giờ.",
                start_date=decided + timedelta(days=5),
                end_date=decided + timedelta(days=370),
                document=_pdf(f"{number.split('/')[0]}.pdf"),
            )

        def amend(entry, kind, on, number="", **extra):
            decision = {"decision_number": number, "decision_date": on} if number else {}
            return services.entry_amend(
                user=staff, entry=entry, kind=kind, effective_on=on, **decision, **extra
            )

        cars = approve(
            "101/QĐ-UBND",
            today - timedelta(days=420),
            "construction",
            applicant=owner,
            startup=startup,
            organisation_name="Công ty Xe Tự Hành Hà Nội",
            enterprise_code=CARS_CODE,
            title="Xe tự hành giao hàng nội khu",
            domain="transport",
            customer_cap=500,
            transaction_cap_vnd=2_000_000,
        )
        cars = amend(cars, AmendmentKind.START, cars.start_date)
        cars = amend(
            cars,
            AmendmentKind.EXTENSION,
            today - timedelta(days=60),
            "15/2026/QĐ-SKHCN",
            new_end_date=cars.end_date + timedelta(days=180),
            note="Gia hạn để hoàn tất đánh giá an toàn.",
            document=_pdf("gia-han.pdf"),
        )
        wallet = approve(
            "102/QĐ-UBND",
            today - timedelta(days=200),
            "state_bank",
            organisation_name="Ví Điện Tử Đống Đa",
            title="Thanh toán số cho hộ kinh doanh",
            domain="fintech",
            test_space="online",
            test_area="",
        )
        wallet = amend(wallet, AmendmentKind.START, wallet.start_date)
        wallet = amend(
            wallet,
            AmendmentKind.SUSPENSION,
            today - timedelta(days=10),
            "16/2026/QĐ-SKHCN",
            note="Vượt hạn mức giao dịch cho phép.",
            document=_pdf("tam-dung.pdf"),
        )
        drone = approve(
            "103/QĐ-UBND",
            today - timedelta(days=100),
            "police",
            organisation_name="Drone Giao Hàng Sóc Sơn",
            title="Giao hàng bằng thiết bị bay không người lái",
            domain="drones",
        )
        drone = amend(
            drone,
            AmendmentKind.REVOCATION,
            today - timedelta(days=5),
            "17/2026/QĐ-SKHCN",
            note="Bay ngoài khu vực được phép.",
        )
        clinic = approve(
            "104/QĐ-UBND",
            today - timedelta(days=60),
            "health",
            organisation_name="Phòng Khám Số Long Biên",
            title="Khám bệnh từ xa qua video",
            domain="health",
            test_space="online",
            test_area="",
        )
        clinic = amend(clinic, AmendmentKind.START, clinic.start_date)
        clinic = amend(
            clinic,
            AmendmentKind.EXIT,
            today - timedelta(days=3),
            "18/2026/QĐ-SKHCN",
            outcome_report="Đã khám cho 320 bệnh nhân, không có sự cố.",
            lessons_learned="Cần chuẩn hóa hồ sơ bệnh án điện tử.",
        )
        school = approve(
            "105/QĐ-UBND",
            today - timedelta(days=20),
            "education",
            organisation_name="Trường Học Số Cầu Giấy",
            title="Lớp học thực tế ảo",
            domain="education",
        )
    return {
        "staff": staff,
        "startup": startup,
        "cars": cars,
        "wallet": wallet,
        "drone": drone,
        "clinic": clinic,
        "school": school,
    }


def _names(response) -> list[str]:
    return [entry.participant for entry in response.context["entries"]]


def _page(entry) -> str:
    return f"/en/sandbox/{entry.slug}/"


NEWEST_FIRST = [
    "Trường Học Số Cầu Giấy",
    "Phòng Khám Số Long Biên",
    "Drone Giao Hàng Sóc Sơn",
    "Ví Điện Tử Đống Đa",
    "Công ty Xe Tự Hành Hà Nội",
]


# --- the list --------------------------------------------------------------------------------


def test_register_lists_every_entry_newest_decision_first(client, register):
    response = client.get("/en/sandbox/")
    assert response.status_code == 200
    # Ended tests stay on the record: every status is listed.
    assert _names(response) == NEWEST_FIRST
    html = response.content.decode()
    assert re.search(r'id="register-count">\s*5 register entries', html)
    assert 'data-status="suspended"' in html and 'data-status="revoked"' in html
    assert "Decision 102/QĐ-UBND of" in html
    assert f'href="/en/sandbox/{register["wallet"].slug}/"' in html


def test_search_without_diacritics(client, register):
    assert _names(client.get("/en/sandbox/", {"q": "xe tu hanh"})) == ["Công ty Xe Tự Hành Hà Nội"]
    assert _names(client.get("/en/sandbox/", {"q": "dong da"})) == ["Ví Điện Tử Đống Đa"]
    assert _names(client.get("/en/sandbox/", {"q": "kham benh tu xa"})) == [
        "Phòng Khám Số Long Biên"
    ]


def test_facets_count_and_filter(client, register):
    response = client.get("/en/sandbox/")
    groups = {group["field"]: group for group in response.context["facet_groups"]}
    assert set(groups) == {"domain", "status", "agency", "year"}
    statuses = {o["value"]: o["count"] for o in groups["status"]["options"]}
    assert statuses == {"extended": 1, "suspended": 1, "revoked": 1, "exited": 1, "approved": 1}
    domains = {o["value"]: o["count"] for o in groups["domain"]["options"]}
    assert domains == {"transport": 1, "fintech": 1, "drones": 1, "health": 1, "education": 1}
    agencies = {o["value"] for o in groups["agency"]["options"]}
    assert agencies == {"construction", "state_bank", "police", "health", "education"}
    years = [o["value"] for o in groups["year"]["options"]]
    expected_years = sorted(
        {str(register[k].start_date.year) for k in ("cars", "wallet", "drone", "clinic", "school")},
        reverse=True,
    )
    assert years == expected_years  # newest first
    assert next(o for o in groups["status"]["options"] if o["value"] == "suspended")["label"] == (
        "Suspended"
    )

    suspended = next(o for o in groups["status"]["options"] if o["value"] == "suspended")
    filtered = client.get("/en/sandbox/" + suspended["url"])
    assert _names(filtered) == ["Ví Điện Tử Đống Đa"]
    chip = filtered.context["active_filters"][0]
    assert chip["label"] == "Suspended" and "status=" not in chip["url"]
    # Any value within a facet, every facet.
    both = client.get("/en/sandbox/", {"status": ["suspended", "revoked"]})
    assert _names(both) == ["Drone Giao Hàng Sóc Sơn", "Ví Điện Tử Đống Đa"]
    assert _names(
        client.get("/en/sandbox/", {"status": ["suspended", "revoked"], "agency": "police"})
    ) == ["Drone Giao Hàng Sóc Sơn"]
    year = str(register["cars"].start_date.year)
    assert "Công ty Xe Tự Hành Hà Nội" in _names(client.get("/en/sandbox/", {"year": year}))


def test_sorting(client, register):
    assert _names(client.get("/en/sandbox/", {"sort": "title"})) == [
        "Công ty Xe Tự Hành Hà Nội",
        "Drone Giao Hàng Sóc Sơn",
        "Phòng Khám Số Long Biên",
        "Trường Học Số Cầu Giấy",
        "Ví Điện Tử Đống Đa",
    ]
    assert _names(client.get("/en/sandbox/", {"sort": "newest"})) == NEWEST_FIRST
    html = client.get("/en/sandbox/").content.decode()
    assert '<option value="newest" selected>Newest decision first</option>' in html


def test_pagination_keeps_the_query(client, register):
    first = client.get("/en/sandbox/", {"page_size": "2", "sort": "title"})
    assert _names(first) == ["Công ty Xe Tự Hành Hà Nội", "Drone Giao Hàng Sóc Sơn"]
    assert first.context["results"].pages == 3
    next_url = first.context["pages"]["next"]
    assert "page=2" in next_url and "page_size=2" in next_url and "sort=title" in next_url
    last = client.get("/en/sandbox/", {"page_size": "2", "sort": "title", "page": "3"})
    assert _names(last) == ["Ví Điện Tử Đống Đa"]
    assert 'start="5"' in last.content.decode()
    assert "Page 3 of 3" in last.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "bogus"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99"},
        {"page_size": "1000"},
        {"domain": "spaceships"},
        {"status": "maybe"},
        {"agency": "nasa"},
        {"year": "19x9"},
        {"year": "1850"},
        {"q": "x" * 500},
    ],
)
def test_bad_parameters_get_a_message_never_an_error(client, register, params):
    response = client.get("/en/sandbox/", params)
    assert response.status_code == 200
    assert response.context["problems"]
    assert "alert--warning" in response.content.decode()
    if "q" not in params:
        assert len(response.context["entries"]) == 5
    for group in response.context["facet_groups"]:
        for option in group["options"]:
            for bad in ("bogus", "spaceships", "maybe", "nasa", "19x9"):
                assert bad not in option["url"]


def test_empty_result_helps(client, register):
    html = client.get("/en/sandbox/", {"q": "khong co gi", "domain": "fintech"}).content.decode()
    assert "empty-state" in html and 'href="/en/sandbox/"' in html


def test_query_count_does_not_depend_on_page_size(client, register):
    few = count_queries(client, "/en/sandbox/?page_size=1")
    many = count_queries(client, "/en/sandbox/?page_size=5")
    assert few == many
    assert count_queries(client, "/en/sandbox/?q=giao+hang&page_size=1") == count_queries(
        client, "/en/sandbox/?q=giao+hang&page_size=5"
    )


# --- check a firm ----------------------------------------------------------------------------


def _firm(client, text):
    response = client.get("/en/sandbox/", {"firm": text})
    assert response.status_code == 200
    return response


def test_check_a_firm_by_enterprise_code(client, register):
    response = _firm(client, CARS_CODE)
    check = response.context["firm_check"]
    assert [e.participant for e in check["entries"]] == ["Công ty Xe Tự Hành Hà Nội"]
    html = response.content.decode()
    assert 'data-status="extended"' in html
    end = register["cars"].end_date.strftime("%d/%m/%Y")
    assert f"the test period was extended until {end}" in html


def test_check_a_firm_by_name_without_diacritics_shows_its_status(client, register):
    html = _firm(client, "vi dien tu dong da").content.decode()
    assert "Ví Điện Tử Đống Đa" in html
    assert "Testing is suspended" in html and 'data-status="suspended"' in html
    html = _firm(client, "DRONE GIAO HANG").content.decode()
    assert "Permission revoked on" in html
    html = _firm(client, "phong kham so").content.decode()
    assert "The test ended on" in html


def test_check_a_firm_not_on_the_register(client, register):
    response = _firm(client, "Công ty Ma")
    assert response.context["firm_check"]["entries"] == []
    assert "“Công ty Ma” is not on the sandbox register." in response.content.decode()


@pytest.mark.parametrize("text", ["", "a", "  ", "x" * 300])
def test_check_a_firm_refuses_what_cannot_be_looked_up(client, register, text):
    check = _firm(client, text).context["firm_check"]
    assert check["problem"] and check["entries"] == []


# --- an entry's page -------------------------------------------------------------------------


def test_entry_page_shows_every_public_field(client, register):
    cars = register["cars"]
    response = client.get(_page(cars))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Công ty Xe Tự Hành Hà Nội",
        CARS_CODE,
        "Xe tự hành giao hàng nội khu",
        "Transport and autonomous vehicles",
        "Department of Construction (transport)",
        "101/QĐ-UBND of " + cars.decision_date.strftime("%d/%m/%Y"),
        "Phạm vi thử nghiệm của Công ty Xe Tự Hành Hà Nội.",
        "Miễn một phần yêu cầu cấp phép.",
        "Báo cáo sự cố trong 24 giờ.",
        "500",
        "2000000 VND",
        "A physical area in Hanoi",
        cars.test_area,
        cars.start_date.strftime("%d/%m/%Y"),
        cars.end_date.strftime("%d/%m/%Y"),
        "Extended",
    ):
        assert text in html, text
    # Linked to the participant's profile in the startup directory.
    assert f'href="/en/startups/{register["startup"].slug}/"' in html
    assert f'href="/en/sandbox/{cars.slug}.json"' in html
    assert f'href="/en/sandbox/{cars.slug}.csv"' in html
    assert "sandbox-banner" not in html


def test_entry_page_history_in_order_with_documents(client, register):
    cars = register["cars"]
    response = client.get(_page(cars))
    history = response.context["history"]
    assert [item.kind for item in history] == ["approval", "start", "extension"]
    html = response.content.decode()
    rows = re.findall(r'<tr class="sandbox-history__item" data-kind="(\w+)">', html)
    assert rows == ["approval", "start", "extension"]
    approval, _start, extension = history
    assert approval.document and extension.document
    assert html.count('class="sandbox-history__document"') == 2
    assert f'href="{approval.document.url}"' in html and f'href="{extension.document.url}"' in html
    assert "15/2026/QĐ-SKHCN" in html and "Gia hạn để hoàn tất đánh giá an toàn." in html
    # The end-date change reads old → new.
    old = extension.previous_end_date.strftime("%d/%m/%Y")
    new = extension.new_end_date.strftime("%d/%m/%Y")
    assert f"{old} → {new}" in html
    assert "Testing → Extended" in html


def test_suspended_and_revoked_entries_carry_a_banner(client, register):
    html = client.get(_page(register["wallet"])).content.decode()
    assert "sandbox-banner" in html and "alert--error" in html
    assert "Testing is suspended" in html
    assert "16/2026/QĐ-SKHCN" in html and "Vượt hạn mức giao dịch cho phép." in html
    html = client.get(_page(register["drone"])).content.decode()
    assert "sandbox-banner" in html and "Permission revoked on" in html
    assert "Bay ngoài khu vực được phép." in html


def test_ended_entry_publishes_its_outcome_and_lessons(client, register):
    html = client.get(_page(register["clinic"])).content.decode()
    assert "sandbox-banner" in html and "The test ended on" in html
    assert "Outcome report" in html and "Đã khám cho 320 bệnh nhân, không có sự cố." in html
    assert "Cần chuẩn hóa hồ sơ bệnh án điện tử." in html
    running = client.get(_page(register["school"])).content.decode()
    assert "Outcome report" not in running and "testing starts on" in running


def test_startup_link_only_while_the_startup_is_listed(client, register):
    Startup.objects.filter(pk=register["startup"].pk).update(status=Status.SUBMITTED)
    html = client.get(_page(register["cars"])).content.decode()
    assert "/startups/" not in html.split("sandbox-concern")[0].split("profile-header")[1]


def test_entry_page_queries_are_constant(client, register):
    assert count_queries(client, _page(register["cars"])) == count_queries(
        client, _page(register["school"])
    )


def test_unknown_entry_is_404(client, register):
    for url in ("/sandbox/khong-ton-tai/", "/sandbox/khong-ton-tai.json", "/sandbox/khong-co.csv"):
        assert client.get(url).status_code == 404


# --- JSON and CSV match the pages --------------------------------------------------------------


def _csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_entry_json_matches_the_page(client, register):
    cars = register["cars"]
    page = client.get(_page(cars))
    html = page.content.decode()
    data = client.get(f"/en/sandbox/{cars.slug}.json").json()
    assert data["slug"] == cars.slug
    assert data["url"] == f"http://testserver/sandbox/{cars.slug}/"
    assert data["startup_url"] == f"http://testserver/startups/{register['startup'].slug}/"
    for key in ("participant", "enterprise_code", "title", "decision_number", "test_area"):
        assert data[key] in html, key
    for key in ("scope", "exemptions", "conditions"):
        assert data[key] in html, key
    for key in ("decision_date", "start_date", "end_date"):
        assert date.fromisoformat(data[key]).strftime("%d/%m/%Y") in html, key
    assert data["status"]["code"] == page.context["entry"].status == "extended"
    assert data["domain"]["code"] == "transport" and data["agency"]["code"] == "construction"
    assert str(data["customer_cap"]) in html and str(data["transaction_cap_vnd"]) in html
    history = page.context["history"]
    assert [item["kind"]["code"] for item in data["history"]] == [h.kind for h in history]
    assert [item["effective_on"] for item in data["history"]] == [
        h.effective_on.isoformat() for h in history
    ]
    assert [item["decision_number"] for item in data["history"]] == [
        h.decision_number for h in history
    ]
    for item, amendment in zip(data["history"], history, strict=True):
        if amendment.document:
            assert item["document"] == f"http://testserver{amendment.document.url}"
            assert amendment.document.url in html
        else:
            assert item["document"] is None


def test_entry_csv_is_its_history_with_its_fields(client, register):
    wallet = register["wallet"]
    response = client.get(f"/sandbox/{wallet.slug}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    history = client.get(_page(wallet)).context["history"]
    assert [row["history_kind"] for row in rows] == [h.kind for h in history]
    assert [row["history_effective_on"] for row in rows] == [
        h.effective_on.isoformat() for h in history
    ]
    assert {row["participant"] for row in rows} == {"Ví Điện Tử Đống Đa"}
    assert {row["status"] for row in rows} == {"suspended"}
    assert rows[-1]["history_note"] == "Vượt hạn mức giao dịch cho phép."
    assert rows[-1]["history_document"].endswith(".pdf")
    json_data = client.get(f"/sandbox/{wallet.slug}.json").json()
    assert rows[0]["decision_number"] == json_data["decision_number"]
    assert rows[0]["domain_label"] == json_data["domain"]["label"]


@pytest.mark.parametrize(
    "params",
    [{}, {"status": ["suspended", "revoked"]}, {"q": "giao hang"}, {"sort": "title"}],
)
def test_register_exports_match_the_page_across_all_pages(client, register, params):
    page = client.get("/en/sandbox/", {**params, "page_size": "1"})
    shown = [entry.slug for entry in page.context["entries"]]
    assert len(shown) == 1  # one per page; the export holds all of them
    everything = client.get("/en/sandbox/", {**params, "page_size": "100"})
    expected = [entry.slug for entry in everything.context["entries"]]
    assert expected[:1] == shown
    export_urls = page.context["export_urls"]
    data = client.get(export_urls["json"]).json()
    assert data["count"] == len(expected) == everything.context["results"].total
    assert [row["slug"] for row in data["results"]] == expected
    rows = _csv_rows(client.get(export_urls["csv"]))
    assert [row["slug"] for row in rows] == expected
    for row, item in zip(rows, data["results"], strict=True):
        assert row["participant"] == item["participant"]
        assert row["status"] == item["status"]["code"]
        assert row["decision_date"] == item["decision_date"]


def test_export_links_carry_the_filters(client, register):
    html = client.get("/en/sandbox/", {"q": "giao", "status": "revoked", "page": "1"}).content
    html = html.decode()
    assert "/en/sandbox/export.csv?q=giao&amp;status=revoked" in html
    assert "/en/sandbox/export.json?q=giao&amp;status=revoked" in html


@pytest.mark.parametrize("params", [{"status": "maybe"}, {"sort": "bogus"}, {"year": "abc"}])
def test_export_refuses_bad_parameters(client, register, params):
    for fmt in ("json", "csv"):
        response = client.get(f"/en/sandbox/export.{fmt}", params)
        assert response.status_code == 400
        assert response.content


# --- reporting a concern -----------------------------------------------------------------------


def _concern(client, entry, **overrides):
    data = {
        "name": "Nguyễn Văn An",
        "email": "an@example.org",
        "message": "Ví vẫn nhận thanh toán dù đã bị tạm dừng.",
        "website": "",
        "started": form_token(time.time() - 30),
    }
    data.update(overrides)
    return client.post(f"/en/sandbox/{entry.slug}/concern/", data)


def test_concern_is_saved_staff_notified_and_acknowledged(
    client, register, django_capture_on_commit_callbacks
):
    wallet, staff = register["wallet"], register["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _concern(client, wallet, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert response["Location"] == f"/en/sandbox/{wallet.slug}/#concern"
    concern = Concern.objects.get()
    assert concern.entry == wallet and concern.email == "an@example.org"
    assert concern.message == "Ví vẫn nhận thanh toán dù đã bị tạm dừng."
    assert Notification.objects.filter(recipient=staff, subject__contains=wallet.participant)
    acknowledgement = [m for m in mail.outbox if m.to == ["an@example.org"]]
    assert len(acknowledgement) == 1 and wallet.participant in acknowledgement[0].subject
    page = client.get(response["Location"])
    assert "your report was received" in page.content.decode()


def test_concern_form_is_on_the_entry_page(client, register):
    html = client.get(_page(register["wallet"])).content.decode()
    assert f'action="/en/sandbox/{register["wallet"].slug}/concern/#concern"' in html
    assert 'name="website"' in html and 'name="started"' in html


def test_invalid_concern_shows_errors_and_saves_nothing(client, register):
    response = _concern(client, register["wallet"], email="not-an-email", message="")
    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors and "message" in form.errors
    assert "form-field--invalid" in response.content.decode()
    assert not Concern.objects.exists()


def test_honeypot_is_answered_like_a_success_and_nothing_is_kept(client, register):
    response = _concern(client, register["wallet"], website="http://spam.example")
    assert response.status_code == 302
    assert not Concern.objects.exists()
    assert not [m for m in mail.outbox if "an@example.org" in m.to]


@pytest.mark.parametrize(
    ("started", "message"),
    [
        (lambda: form_token(), "sent very quickly"),
        (lambda: form_token(time.time() - 3 * 24 * 3600), "expired"),
        (lambda: "forged", "expired"),
    ],
)
def test_too_fast_or_forged_forms_are_refused(client, register, started, message):
    response = _concern(client, register["wallet"], started=started())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Concern.objects.exists()
    # The form comes back with a fresh timestamp, so a person can simply send it again.
    assert response.context["form"].data["started"] != "forged"


def test_concerns_are_rate_limited(client, register, django_capture_on_commit_callbacks):
    wallet = register["wallet"]
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(services.CONCERNS_PER_HOUR):
            assert _concern(client, wallet, email=f"p{n}@example.org").status_code == 302
    response = _concern(client, wallet, email="another@example.org")
    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert Concern.objects.count() == services.CONCERNS_PER_HOUR


# --- home page -------------------------------------------------------------------------------


def test_home_figure_counts_tests_under_way(register):
    request = RequestFactory().get("/")
    with translation.override("en"):
        (figure,) = home_hooks.sandbox_tests_figure(request)
        (section,) = home_hooks.register_section(request)
    # Only the extended test is under way: the others are suspended, ended or not started.
    assert figure["value"] == "1"
    assert figure["label"] == "sandbox test under way"
    assert figure["url"] == "/en/sandbox/?status=testing&status=extended"
    assert section["url"] == "/en/sandbox/" and section["title"] == "Sandbox register"
    assert EntryStatus.TESTING in home_hooks.TESTING_STATUSES
