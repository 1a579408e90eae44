"""The owner's listings at /me/technologies/, through the views: create (offer or request),
edit, submit, close, renew, documents and images, and who may see what. Staff steps go through
the services (the admin is tested on its own)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.roles import Role
from tech_exchange import services
from tech_exchange.models import (
    Enquiry,
    EnquiryStatus,
    Listing,
    ListingDocument,
    ListingImage,
    ListingStatus,
)
from tests.conftest import count_queries, page
from tests.factories import make_user, with_mfa
from tests.factories.tech_exchange import listing_fields, make_enquiry, make_listing

pytestmark = pytest.mark.django_db

BASE = "/en/me/technologies/"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(**overrides) -> dict:
    """The listing form as a browser posts it."""
    fields = listing_fields()
    data = {name: "" if value is None else str(value) for name, value in fields.items()}
    data["price_vnd"] = "150.000.000"
    data["ip_expires_on"] = ""
    data.update(overrides)
    return data


def edit_data(listing, **overrides) -> dict:
    data = {}
    for name in services.LISTING_FIELDS:
        value = getattr(listing, name)
        data[name] = "" if value is None else str(value)
    data.update(overrides)
    return data


def detail_url(listing) -> str:
    return f"{BASE}{listing.pk}/"


def snapshot(listing) -> dict:
    listing = Listing.objects.get(pk=listing.pk)
    return {
        **{name: getattr(listing, name) for name in services.LISTING_FIELDS},
        "status": listing.status,
        "steps": listing.steps.count(),
    }


@pytest.fixture
def owner(client):
    user = make_user(Role.PROVIDER)
    client.force_login(user)
    return user


# --- creating and editing ----------------------------------------------------------------------


def test_new_asks_offer_or_request_then_shows_the_form(client, owner):
    choice = page(client.get(f"{BASE}new/"))
    assert 'href="?kind=offer"' in choice
    assert 'href="?kind=request"' in choice
    assert 'name="title"' not in choice

    form = page(client.get(f"{BASE}new/?kind=request"))
    for legend in ("What you list", "Who owns it", "The technology", "Intellectual property"):
        assert legend in form
    assert '<option value="request" selected>' in form
    assert "TRL 9: actual system proven in operation" in form


def test_create_a_draft_and_see_its_status_page(client, owner):
    response = client.post(f"{BASE}new/", form_data(title="Cảm biến bụi mịn"))

    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(listing)
    assert listing.owner == owner
    assert listing.status == ListingStatus.DRAFT
    assert listing.price_vnd == 150_000_000
    assert listing.trl == 6

    detail = page(client.get(detail_url(listing)))
    assert "is saved as a draft" in detail
    assert "Cảm biến bụi mịn" in detail
    assert "150.000.000" in detail
    assert "TRL 6: technology demonstrated in a relevant environment" in detail
    assert f"{detail_url(listing)}edit/" in detail
    assert "Submit for review" in detail


def test_a_listing_without_trl_is_refused_with_a_clear_message(client, owner):
    response = client.post(f"{BASE}new/", form_data(trl=""))
    assert response.status_code == 200
    assert "Give the technology readiness level (TRL 1-9)." in page(response)
    assert "The listing was not saved" in page(response)
    assert not Listing.objects.exists()


@pytest.mark.parametrize("trl", ["0", "10", "six"])
def test_trl_outside_1_to_9_is_refused(client, owner, trl):
    response = client.post(f"{BASE}new/", form_data(trl=trl))
    assert "The technology readiness level is a number from 1 to 9." in page(response)
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"ip_number": ""}, "Give the number of the patent or application."),
        ({"ip_jurisdiction": ""}, "Say where the title is registered"),
        ({"ip_filed_on": ""}, "Give the filing date."),
        ({"ip_expires_on": "2020-01-01"}, "The title must expire after it was filed."),
        ({"price_vnd": ""}, "Give the price, or make it negotiable."),
        ({"price_type": "negotiable"}, "A negotiable listing has no fixed price."),
        ({"price_vnd": "-5"}, "cannot be negative"),
        ({"licensing_model": ""}, "Choose a licensing model."),
        ({"ip_status": ""}, "Say what protects the technology"),
        ({"kind": "gift"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    client, owner, overrides, message
):
    response = client.post(f"{BASE}new/", form_data(**overrides))
    assert response.status_code == 200
    assert message in page(response)
    assert not Listing.objects.exists()


def test_know_how_and_a_negotiable_price_need_no_details(client, owner):
    response = client.post(
        f"{BASE}new/",
        form_data(
            ip_status="know_how",
            ip_number="",
            ip_jurisdiction="",
            ip_filed_on="",
            price_type="negotiable",
            price_vnd="",
        ),
    )
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert (listing.ip_status, listing.price_type, listing.price_vnd) == (
        "know_how",
        "negotiable",
        None,
    )


def test_edit_a_draft(client, owner):
    listing = make_listing(owner=owner, status=ListingStatus.DRAFT)
    form = page(client.get(f"{detail_url(listing)}edit/"))
    assert 'value="150.000.000"' in form
    assert 'value="2024-03-01"' in form

    response = client.post(
        f"{detail_url(listing)}edit/", edit_data(listing, trl="7", price_vnd="200 000 000")
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.trl, listing.price_vnd) == (7, 200_000_000)


def test_a_bad_edit_changes_nothing(client, owner):
    listing = make_listing(owner=owner, status=ListingStatus.DRAFT)
    before = snapshot(listing)
    response = client.post(f"{detail_url(listing)}edit/", edit_data(listing, trl=""))
    assert "Give the technology readiness level (TRL 1-9)." in page(response)
    assert snapshot(listing) == before


def test_a_listing_under_review_or_published_cannot_be_edited(client, owner):
    listing = make_listing(owner=owner, status=ListingStatus.UNDER_REVIEW)
    before = snapshot(listing)
    response = client.post(
        f"{detail_url(listing)}edit/", edit_data(listing, title="Khác"), follow=True
    )
    assert "cannot be edited" in page(response)
    assert snapshot(listing) == before


# --- the lifecycle -----------------------------------------------------------------------------


def test_submit_publish_and_see_the_expiry(client, owner):
    listing = make_listing(owner=owner, status=ListingStatus.DRAFT)
    response = client.post(f"{detail_url(listing)}submit/", follow=True)
    assert "is submitted for review" in page(response)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW

    services.listing_publish(user=make_user(Role.DEPARTMENT_STAFF), listing=listing)
    listing.refresh_from_db()
    detail = page(client.get(detail_url(listing)))
    assert f'Published until <time datetime="{listing.expires_on:%Y-%m-%d}">' in detail
    assert "Renew for 12 months" in detail
    assert "Close the listing" in detail


@pytest.mark.parametrize(
    ("status", "action"),
    [(ListingStatus.UNDER_REVIEW, "submit"), (ListingStatus.CLOSED, "renew")],
)
def test_a_step_the_status_does_not_allow_is_refused_with_a_message(client, owner, status, action):
    listing = make_listing(owner=owner, status=status)
    before = snapshot(listing)
    response = client.post(f"{detail_url(listing)}{action}/", follow=True)
    assert "This is not possible while the status is" in page(response)
    assert snapshot(listing) == before


def test_a_returned_listing_shows_the_staff_note(client, owner):
    listing = make_listing(owner=owner, status=ListingStatus.UNDER_REVIEW)
    services.listing_return(
        user=make_user(Role.DEPARTMENT_STAFF), listing=listing, note="Thiếu ảnh minh hoạ."
    )
    detail = page(client.get(detail_url(listing)))
    assert "What the department asks you to change" in detail
    assert "Thiếu ảnh minh hoạ." in detail
    assert "Department of Science and Technology" in detail


def test_close_and_renew(client, owner):
    listing = make_listing(owner=owner)
    response = client.post(f"{detail_url(listing)}close/", {"note": "Đã chuyển giao"}, follow=True)
    assert "is closed" in page(response)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.CLOSED
    assert listing.steps.last().note == "Đã chuyển giao"

    expired = make_listing(owner=owner, status=ListingStatus.EXPIRED)
    old_expiry = expired.expires_on
    response = client.post(f"{detail_url(expired)}renew/", follow=True)
    expired.refresh_from_db()
    assert expired.status == ListingStatus.PUBLISHED
    assert expired.expires_on > old_expiry
    assert f"is published until {expired.expires_on:%d/%m/%Y}" in page(response)


# --- documents and images ----------------------------------------------------------------------


def test_add_and_remove_documents(client, owner):
    listing = make_listing(owner=owner)
    upload = SimpleUploadedFile("datasheet.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        f"{detail_url(listing)}documents/",
        {"title": "Thông số kỹ thuật", "file": upload, "confidential": "on"},
    )
    assert response.status_code == 302
    document = ListingDocument.objects.get()
    assert document.confidential
    detail = page(client.get(detail_url(listing)))
    assert "Thông số kỹ thuật" in detail
    assert f"/files/{document.file.pk}/" in detail

    response = client.post(f"{detail_url(listing)}documents/{document.pk}/remove/", follow=True)
    assert "is removed" in page(response)
    assert not ListingDocument.objects.exists()


def test_a_document_that_is_not_pdf_or_xlsx_is_refused(client, owner):
    listing = make_listing(owner=owner)
    upload = SimpleUploadedFile("datasheet.pdf", PNG_BYTES, content_type="application/pdf")
    response = client.post(
        f"{detail_url(listing)}documents/", {"title": "Thông số", "file": upload}
    )
    assert response.status_code == 200
    assert "This file&#x27;s content is not an accepted type" in page(response)
    assert not ListingDocument.objects.exists()


def test_add_and_remove_images(client, owner):
    listing = make_listing(owner=owner)
    upload = SimpleUploadedFile("sensor.png", PNG_BYTES, content_type="image/png")
    response = client.post(
        f"{detail_url(listing)}images/", {"image": upload, "caption": "Cảm biến lắp trên cột"}
    )
    assert response.status_code == 302
    image = ListingImage.objects.get()
    detail = page(client.get(detail_url(listing)))
    assert image.image.url in detail
    assert 'alt="Cảm biến lắp trên cột"' in detail

    response = client.post(f"{detail_url(listing)}images/{image.pk}/remove/", follow=True)
    assert "The image is removed." in page(response)
    assert not ListingImage.objects.exists()


def test_an_image_is_checked_by_content(client, owner):
    listing = make_listing(owner=owner)
    upload = SimpleUploadedFile("sensor.png", PDF_BYTES, content_type="image/png")
    response = client.post(f"{detail_url(listing)}images/", {"image": upload})
    assert response.status_code == 200
    assert "Accepted: PNG, JPG, WEBP." in page(response)
    assert not ListingImage.objects.exists()


def test_nothing_is_added_to_a_closed_listing(client, owner):
    listing = make_listing(owner=owner, status=ListingStatus.CLOSED)
    detail = page(client.get(detail_url(listing)))
    assert "Add the image" not in detail
    assert "Add the document" not in detail
    upload = SimpleUploadedFile("sensor.png", PNG_BYTES, content_type="image/png")
    response = client.post(f"{detail_url(listing)}images/", {"image": upload})
    assert "Only the owner of an active listing can add images." in page(response)
    assert not ListingImage.objects.exists()


# --- my technologies ---------------------------------------------------------------------------


def test_the_list_shows_listings_and_enquiries_both_ways(client, owner):
    mine = make_listing(owner=owner, title="Pin mặt trời hữu cơ")
    draft = make_listing(owner=owner, status=ListingStatus.DRAFT, title="Bản nháp ABC")
    received = make_enquiry(listing=mine)
    other = make_listing(title="Phần mềm nhận dạng biển số")
    sent = make_enquiry(listing=other, sender=owner)

    listing_page = page(client.get(BASE))
    assert "Pin mặt trời hữu cơ" in listing_page
    assert "Bản nháp ABC" in listing_page
    assert detail_url(draft) in listing_page
    assert f"{BASE}enquiries/{received.pk}/" in listing_page
    assert f"{BASE}enquiries/{sent.pk}/" in listing_page
    assert "Phần mềm nhận dạng biển số" in listing_page
    # The answer deadline of both.
    for enquiry in (received, sent):
        due = timezone.localtime(enquiry.answer_due_at).isoformat()
        assert f'<time datetime="{due}">' in listing_page
    assert "Overdue" not in listing_page


def test_enquiries_waiting_come_first_the_nearest_deadline_first(client, owner):
    listing = make_listing(owner=owner)
    declined = make_enquiry(listing=listing, status=EnquiryStatus.DECLINED)
    later = make_enquiry(listing=listing)
    sooner = make_enquiry(listing=listing)
    Enquiry.objects.filter(pk=sooner.pk).update(
        answer_due_at=later.answer_due_at - timedelta(days=1)
    )
    html = page(client.get(BASE))
    positions = [html.index(f"{BASE}enquiries/{e.pk}/") for e in (sooner, later, declined)]
    assert positions == sorted(positions)


def test_the_list_flags_overdue_enquiries(client, owner):
    listing = make_listing(owner=owner)
    enquiry = make_enquiry(listing=listing)
    Enquiry.objects.filter(pk=enquiry.pk).update(answer_due_at=timezone.now() - timedelta(hours=1))
    listing_page = page(client.get(BASE))
    assert "1 enquiry is waiting past its answer deadline" in listing_page
    assert "Overdue" in listing_page
    assert "1 overdue" in listing_page


def test_the_list_keeps_a_constant_number_of_queries(client, owner):
    make_listing(owner=owner)
    make_enquiry(listing=make_listing(owner=owner))
    make_enquiry(listing=make_listing(), sender=owner)
    few = count_queries(client, BASE)
    for _ in range(3):
        listing = make_listing(owner=owner)
        make_enquiry(listing=listing, status=EnquiryStatus.NEGOTIATING)
        make_enquiry(listing=make_listing(), sender=owner)
        make_listing(owner=owner, status=ListingStatus.DRAFT)
    assert count_queries(client, BASE) == few


def test_the_workspace_overview_shows_the_panel(client, owner):
    listing = make_listing(owner=owner, title="Vật liệu cách nhiệt từ rơm")
    make_enquiry(listing=listing)
    overview = page(client.get("/en/me/"))
    assert "My technologies" in overview
    assert "Vật liệu cách nhiệt từ rơm" in overview
    assert "1 enquiry is open with you." in overview


def test_providers_without_listings_are_invited_and_others_see_no_panel(client):
    provider = make_user(Role.PROVIDER)
    client.force_login(provider)
    assert "List a technology" in page(client.get("/en/me/"))
    client.force_login(make_user())
    assert f'href="{BASE}new/"' not in page(client.get("/en/me/"))


# --- who may see what --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    listing = make_listing()
    enquiry = make_enquiry(listing=listing)
    for url in (
        BASE,
        f"{BASE}new/",
        detail_url(listing),
        f"{detail_url(listing)}edit/",
        f"{BASE}enquiries/{enquiry.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


def test_another_owners_listing_pages_do_not_exist_for_you(client):
    listing = make_listing(status=ListingStatus.DRAFT)
    document = services.document_add(
        user=listing.owner,
        listing=listing,
        upload=SimpleUploadedFile("a.pdf", PDF_BYTES),
        title="Tài liệu",
        confidential=False,
    )
    image = ListingImage.objects.create(listing=listing, image="technologies/images/x.png")
    before = snapshot(listing)
    # Staff review listings in the administration, not in the owner's workspace.
    staff = with_mfa(make_user(Role.DEPARTMENT_STAFF))
    for user in (make_user(), make_user(Role.PROVIDER), staff):
        client.force_login(user)
        for url in (detail_url(listing), f"{detail_url(listing)}edit/"):
            assert client.get(url).status_code == 404, url
        for url, data in (
            (f"{detail_url(listing)}edit/", edit_data(listing, title="Đổi tên")),
            (f"{detail_url(listing)}submit/", {}),
            (f"{detail_url(listing)}close/", {}),
            (f"{detail_url(listing)}renew/", {}),
            (f"{detail_url(listing)}documents/", {"title": "X"}),
            (f"{detail_url(listing)}documents/{document.pk}/remove/", {}),
            (f"{detail_url(listing)}images/", {}),
            (f"{detail_url(listing)}images/{image.pk}/remove/", {}),
        ):
            assert client.post(url, data).status_code == 404, url
    assert snapshot(listing) == before
    assert ListingDocument.objects.count() == 1
    assert ListingImage.objects.count() == 1


def test_actions_on_a_document_of_another_listing_are_not_found(client, owner):
    mine = make_listing(owner=owner)
    theirs = make_listing()
    document = services.document_add(
        user=theirs.owner,
        listing=theirs,
        upload=SimpleUploadedFile("a.pdf", PDF_BYTES),
        title="Tài liệu",
        confidential=False,
    )
    response = client.post(f"{detail_url(mine)}documents/{document.pk}/remove/")
    assert response.status_code == 404
    assert ListingDocument.objects.filter(pk=document.pk).exists()
