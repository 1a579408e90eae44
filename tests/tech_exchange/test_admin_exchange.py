"""The department's exchange tools in the Wagtail admin: the listings queue and review page,
the enquiries with their deadlines, the deals, and the daily expiry job."""

import csv
import io
from datetime import datetime, time, timedelta

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.roles import Role
from portal.core.scheduling import run_due_jobs
from portal.notifications.models import Notification
from tech_exchange import services
from tech_exchange.admin_hooks import DAILY_JOB
from tech_exchange.models import DealSource, EnquiryStatus, ListingStatus
from tests.conftest import count_queries, page
from tests.factories import make_user, with_mfa
from tests.factories.tech_exchange import make_enquiry, make_listing

pytestmark = pytest.mark.django_db

LISTINGS = "/admin/technologies/listings/"
ENQUIRIES = "/admin/technologies/enquiries/"
DEALS = "/admin/technologies/deals/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def review_url(listing) -> str:
    return f"{LISTINGS}{listing.pk}/"


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


@pytest.fixture
def staff(client):
    user = with_mfa(make_user(Role.DEPARTMENT_STAFF, language="en"))
    client.force_login(user)
    return user


# --- who may enter -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, Role.PROVIDER, Role.FOUNDER, Role.REVIEWER])
def test_only_department_staff_reach_the_exchange_admin(client, role):
    listing = make_listing(status=ListingStatus.UNDER_REVIEW)
    user = make_user(*([role] if role else []))
    if role == Role.REVIEWER:
        with_mfa(user)
    client.force_login(user)
    for url in (LISTINGS, ENQUIRIES, DEALS, review_url(listing), f"{LISTINGS}?export=csv"):
        assert client.get(url).status_code in (302, 403), url
    client.post(review_url(listing), {"decision": "publish"})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW


def test_anonymous_visitors_are_sent_to_log_in(client):
    listing = make_listing()
    for url in (LISTINGS, ENQUIRIES, DEALS, review_url(listing)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_staff_without_a_second_factor_set_it_up_first(client):
    client.force_login(make_user(Role.DEPARTMENT_STAFF))
    response = client.get(LISTINGS)
    assert response.status_code == 302
    assert "login" not in response["Location"]


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR])
def test_staff_and_administrators_see_every_page_and_the_menu(client, role):
    client.force_login(with_mfa(make_user(role, language="en")))
    listing = make_listing()
    make_enquiry(listing=listing, status=EnquiryStatus.DEAL)
    for url in (LISTINGS, ENQUIRIES, DEALS, review_url(listing)):
        assert client.get(url).status_code == 200, url
    home = page(client.get("/admin/"))
    assert "Technology exchange" in home
    for url in (LISTINGS, ENQUIRIES, DEALS):
        assert url in home


def test_the_generic_edit_forms_are_not_exposed(client, staff):
    listing = make_listing()
    for url in (
        f"{LISTINGS}new/",
        f"{LISTINGS}edit/{listing.pk}/",
        f"{LISTINGS}delete/{listing.pk}/",
        f"{ENQUIRIES}new/",
        f"{DEALS}new/",
    ):
        assert client.get(url).status_code == 404, url


# --- the listings queue ------------------------------------------------------------------------


def test_the_queue_opens_on_listings_under_review_and_filters(client, staff):
    waiting = make_listing(status=ListingStatus.UNDER_REVIEW, title="Đang chờ duyệt")
    make_listing(title="Đã đăng công khai")
    make_listing(status=ListingStatus.DRAFT, title="Còn là bản nháp")
    make_listing(
        status=ListingStatus.UNDER_REVIEW,
        title="Giống lúa chịu mặn",
        kind="request",
        sector="agritech",
        trl=3,
        owner_type="institute",
    )
    content = page(client.get(LISTINGS))
    assert "Đang chờ duyệt" in content
    assert review_url(waiting) in content
    assert "Đã đăng công khai" not in content
    assert "Còn là bản nháp" not in content

    everything = page(client.get(LISTINGS + "?status="))
    assert "Đã đăng công khai" in everything and "Còn là bản nháp" in everything
    for query in ("kind=request", "sector=agritech", "trl=3", "owner_type=institute"):
        content = page(client.get(f"{LISTINGS}?{query}"))
        assert "Giống lúa chịu mặn" in content, query
        assert "Đang chờ duyệt" not in content, query


def test_the_queue_searches_title_and_organisation(client, staff):
    make_listing(
        status=ListingStatus.UNDER_REVIEW,
        title="Máy sấy nông sản",
        owner_organisation="Viện Cơ điện Nông nghiệp",
    )
    make_listing(status=ListingStatus.UNDER_REVIEW, title="Robot hàn")
    for query in ("sấy nông", "Cơ điện"):
        content = page(client.get(LISTINGS, {"q": query}))
        assert "Máy sấy nông sản" in content, query
        assert "Robot hàn" not in content, query


def test_the_listings_export_as_csv_and_xlsx(client, staff):
    make_listing(status=ListingStatus.UNDER_REVIEW, title="Pin natri")
    make_listing(title="Đã đăng")
    response = client.get(f"{LISTINGS}?status=&export=csv")
    rows = csv_rows(response)
    assert len(rows[0]) == 19
    assert {row[1] for row in rows[1:]} == {"Pin natri", "Đã đăng"}
    assert {row[7] for row in rows[1:]} == {"6"}

    response = client.get(f"{LISTINGS}?export=xlsx")
    values = xlsx_rows(response)
    assert values[0][:3] == ["Listing", "Title", "Kind"]
    assert values[0][7] == "TRL"
    assert [(row[1], row[2]) for row in values[1:]] == [("Pin natri", "Technology offer")]


# --- the review page ---------------------------------------------------------------------------


def test_the_review_page_shows_the_whole_listing_its_documents_and_history(client, staff):
    listing = make_listing(status=ListingStatus.DRAFT, ip_expires_on="2034-03-01")
    document = services.document_add(
        user=listing.owner,
        listing=listing,
        upload=SimpleUploadedFile("report.pdf", PDF_BYTES),
        title="Báo cáo thử nghiệm",
        confidential=True,
    )
    services.listing_submit(user=listing.owner, listing=listing)
    content = page(client.get(review_url(listing)))
    for text in (
        listing.title,
        listing.summary,
        listing.description,
        listing.owner_organisation,
        listing.ip_number,
        "TRL 6: technology demonstrated in a relevant environment",
        "Báo cáo thử nghiệm",
        f"/files/{document.file.pk}/",
        "Draft → Under review",
        listing.owner.email,
    ):
        assert text in content, text
    # Staff may download the confidential document through the private-file view.
    assert client.get(f"/files/{document.file.pk}/").status_code == 200


def test_publish_makes_the_listing_public_for_a_year(client, staff):
    listing = make_listing(status=ListingStatus.UNDER_REVIEW)
    response = client.post(review_url(listing), {"decision": "publish", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == LISTINGS
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.expires_on == timezone.localdate() + timedelta(days=365)
    assert Notification.objects.filter(recipient=listing.owner).exists()


def test_return_needs_a_note(client, staff):
    listing = make_listing(status=ListingStatus.UNDER_REVIEW)
    response = client.post(review_url(listing), {"decision": "return", "note": " "})
    assert response.status_code == 200
    assert "Tell the owner what to change." in page(response)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW

    response = client.post(review_url(listing), {"decision": "return", "note": "Thêm ảnh."})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT
    assert listing.steps.last().note == "Thêm ảnh."
    assert "Thêm ảnh." in page(client.get(review_url(listing)))


def test_a_decision_needs_a_choice(client, staff):
    listing = make_listing(status=ListingStatus.UNDER_REVIEW)
    response = client.post(review_url(listing), {"note": "x"})
    assert "Choose to publish or to return the listing." in page(response)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW


def test_no_decision_on_a_listing_not_under_review(client, staff):
    listing = make_listing(status=ListingStatus.DRAFT)
    content = page(client.get(review_url(listing)))
    assert "No review is due" in content
    assert 'name="decision"' not in content
    response = client.post(review_url(listing), {"decision": "publish"})
    assert response.status_code == 200
    assert "This is not possible while the status is" in page(response)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT


# --- enquiries and deals -----------------------------------------------------------------------


def test_the_enquiries_open_on_those_waiting_and_flag_the_overdue(client, staff):
    late = make_enquiry(listing=make_listing(title="Bê tông tự liền"))
    make_enquiry(listing=make_listing(title="Đang thương lượng"), status=EnquiryStatus.NEGOTIATING)
    make_enquiry(listing=make_listing(title="Đã từ chối"), status=EnquiryStatus.DECLINED)

    with time_machine.travel(late.answer_due_at + timedelta(hours=2), tick=False):
        # Sessions expire: sign in again at the travelled time.
        client.force_login(staff)
        content = page(client.get(ENQUIRIES))
        assert "Bê tông tự liền" in content and "Đang thương lượng" in content
        assert "Đã từ chối" not in content
        assert "Overdue" in content

        overdue = page(client.get(ENQUIRIES + "?overdue=true"))
        assert "Bê tông tự liền" in overdue and "Đang thương lượng" not in overdue
        on_time = page(client.get(ENQUIRIES + "?overdue=false"))
        assert "Bê tông tự liền" not in on_time and "Đang thương lượng" in on_time

        declined = page(client.get(ENQUIRIES + "?status=declined"))
        assert "Đã từ chối" in declined and "Bê tông tự liền" not in declined
        assert f"{review_url(late.listing)}#enquiries" in content


def test_the_deals_filter_by_sector_and_source_and_export(client, staff):
    make_enquiry(
        listing=make_listing(title="Chế phẩm vi sinh", sector="agritech"),
        status=EnquiryStatus.DEAL,
        amount=420_000_000,
    )
    make_enquiry(listing=make_listing(title="Đèn đường thông minh"), status=EnquiryStatus.DEAL)
    services.deal_record(
        listing=make_listing(title="Giấy phép nghiên cứu"),
        buyer=make_user(),
        source=DealSource.PURCHASE,
        amount_vnd=10_000_000,
    )
    content = page(client.get(DEALS))
    assert "420.000.000 ₫" in content
    agritech = page(client.get(DEALS + "?sector=agritech"))
    assert "Chế phẩm vi sinh" in agritech and "Đèn đường thông minh" not in agritech
    purchases = page(client.get(DEALS + "?source=purchase"))
    assert "Giấy phép nghiên cứu" in purchases and "Chế phẩm vi sinh" not in purchases

    response = client.get(DEALS + "?sector=agritech&export=csv")
    rows = csv_rows(response)
    assert [(row[1], row[5]) for row in rows[1:]] == [("Chế phẩm vi sinh", "420000000")]
    response = client.get(DEALS + "?source=purchase&export=xlsx")
    values = xlsx_rows(response)
    assert values[0][:2] == ["Deal", "Listing"]
    assert [(row[1], row[4]) for row in values[1:]] == [
        ("Giấy phép nghiên cứu", "Licence bought at the listed price")
    ]


@pytest.mark.parametrize("url", [LISTINGS + "?status=", ENQUIRIES + "?status=", DEALS])
def test_the_admin_lists_keep_a_constant_number_of_queries(client, staff, url):
    make_enquiry(status=EnquiryStatus.DEAL)
    make_enquiry()
    few = count_queries(client, url)
    for status in (EnquiryStatus.DEAL, EnquiryStatus.OPEN, EnquiryStatus.NEGOTIATING):
        make_enquiry(status=status)
    make_listing(status=ListingStatus.UNDER_REVIEW)
    assert count_queries(client, url) == few


# --- the daily job -----------------------------------------------------------------------------


def test_the_daily_job_expires_listings_and_flags_overdue_enquiries():
    staff = make_user(Role.DEPARTMENT_STAFF)
    listing = make_listing()
    enquiry = make_enquiry(listing=listing)
    later = datetime.combine(listing.expires_on + timedelta(days=1), time(12))
    with time_machine.travel(timezone.make_aware(later), tick=False):
        [(name, succeeded, message)] = list(run_due_jobs(only=DAILY_JOB, force=True))
    assert (name, succeeded) == (DAILY_JOB, True)
    assert "1 listings expired" in message
    assert "1 overdue enquiries flagged" in message
    listing.refresh_from_db()
    assert listing.status == ListingStatus.EXPIRED
    enquiry.refresh_from_db()
    assert enquiry.overdue_flagged_at is not None
    assert Notification.objects.filter(recipient=staff, url=ENQUIRIES).count() == 1
