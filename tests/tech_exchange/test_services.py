"""The exchange's rules, through its services: a listing's required fields, its lifecycle with
staff review and yearly expiry, enquiries with their answer deadline, and listing images."""

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from portal.notifications.models import Notification
from tech_exchange import image_services, services
from tech_exchange.models import (
    Deal,
    DealSource,
    Enquiry,
    EnquiryStatus,
    Listing,
    ListingImage,
    ListingStatus,
    ListingStep,
)
from tests.factories import make_user
from tests.factories.tech_exchange import listing_fields, make_enquiry, make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The refusals are asserted in their English wording.
    with translation.override("en"):
        yield


PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at_noon(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- listing fields ----------------------------------------------------------------------------


def test_a_listing_without_trl_is_refused_with_a_clear_message():
    owner = make_user()
    fields = listing_fields()
    del fields["trl"]
    with pytest.raises(ValidationError) as excinfo:
        services.listing_create(user=owner, fields=fields)
    assert errors_of(excinfo)["trl"] == ["Give the technology readiness level (TRL 1-9)."]
    assert not Listing.objects.exists()


@pytest.mark.parametrize("trl", [0, 10])
def test_trl_outside_1_to_9_is_refused(trl):
    with pytest.raises(ValidationError) as excinfo:
        services.listing_create(user=make_user(), fields=listing_fields(trl=trl))
    assert "trl" in errors_of(excinfo)
    assert not Listing.objects.exists()


@pytest.mark.parametrize("field", ["ip_number", "ip_jurisdiction", "ip_filed_on"])
def test_registered_ip_needs_its_number_jurisdiction_and_filing_date(field):
    empty = None if field == "ip_filed_on" else ""
    with pytest.raises(ValidationError) as excinfo:
        services.listing_create(
            user=make_user(), fields=listing_fields(ip_status="patent", **{field: empty})
        )
    assert list(errors_of(excinfo)) == [field]
    assert not Listing.objects.exists()


def test_know_how_needs_no_registration_details():
    listing = services.listing_create(
        user=make_user(),
        fields=listing_fields(
            ip_status="know_how", ip_number="", ip_jurisdiction="", ip_filed_on=None
        ),
    )
    assert listing.ip_status == "know_how"


def test_a_fixed_price_needs_an_amount_and_a_negotiable_one_has_none():
    with pytest.raises(ValidationError) as excinfo:
        services.listing_create(
            user=make_user(), fields=listing_fields(price_type="fixed", price_vnd=None)
        )
    assert errors_of(excinfo)["price_vnd"] == ["Give the price, or make it negotiable."]
    with pytest.raises(ValidationError):
        services.listing_create(
            user=make_user(), fields=listing_fields(price_type="negotiable", price_vnd=5)
        )
    assert not Listing.objects.exists()


def test_a_licensing_model_is_required():
    with pytest.raises(ValidationError) as excinfo:
        services.listing_create(user=make_user(), fields=listing_fields(licensing_model=""))
    assert "licensing_model" in errors_of(excinfo)


# --- lifecycle ---------------------------------------------------------------------------------


def test_submit_then_staff_publish_for_one_year():
    owner, staff = make_user(Role.PROVIDER), make_user(Role.DEPARTMENT_STAFF)
    listing = make_listing(owner=owner, status=ListingStatus.DRAFT)

    listing = services.listing_submit(user=owner, listing=listing)
    assert listing.status == ListingStatus.UNDER_REVIEW
    assert Notification.objects.filter(
        recipient=staff, url="/admin/technologies/listings/"
    ).exists()

    listing = services.listing_publish(user=staff, listing=listing)
    listing.refresh_from_db()
    today = timezone.localdate()
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.expires_on == today + timedelta(days=365)
    assert listing.published_at is not None
    assert Notification.objects.filter(
        recipient=owner, url=f"/me/technologies/{listing.pk}/"
    ).exists()
    assert [step.to_status for step in listing.steps.all()] == [
        ListingStatus.DRAFT,
        ListingStatus.UNDER_REVIEW,
        ListingStatus.PUBLISHED,
    ]


def test_only_staff_publish_and_only_the_owner_submits():
    owner = make_user()
    listing = make_listing(owner=owner, status=ListingStatus.DRAFT)
    with pytest.raises(PortalError):
        services.listing_submit(user=make_user(), listing=listing)
    listing = services.listing_submit(user=owner, listing=listing)
    with pytest.raises(PortalError):
        services.listing_publish(user=owner, listing=listing)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW


def test_return_needs_a_note_and_sends_the_draft_back():
    staff = make_user(Role.DEPARTMENT_STAFF)
    listing = make_listing(status=ListingStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError) as excinfo:
        services.listing_return(user=staff, listing=listing, note="  ")
    assert "note" in errors_of(excinfo)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW

    services.listing_return(user=staff, listing=listing, note="Bổ sung số bằng.")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT
    assert listing.steps.last().note == "Bổ sung số bằng."
    assert Notification.objects.filter(recipient=listing.owner, body="Bổ sung số bằng.").exists()


def test_the_owner_closes_a_published_listing():
    listing = make_listing()
    with pytest.raises(PortalError):
        services.listing_close(user=make_user(), listing=listing)
    services.listing_close(user=listing.owner, listing=listing)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.CLOSED


def test_renewing_an_expired_listing_publishes_it_for_another_year():
    listing = make_listing(status=ListingStatus.EXPIRED)
    later = timezone.localdate() + timedelta(days=40)
    with time_machine.travel(at_noon(later), tick=False):
        with pytest.raises(PortalError):
            services.listing_renew(user=make_user(), listing=listing)
        services.listing_renew(user=listing.owner, listing=listing)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.expires_on == later + timedelta(days=365)
    assert listing.steps.last().from_status == ListingStatus.EXPIRED


def test_a_draft_cannot_be_renewed():
    listing = make_listing(status=ListingStatus.DRAFT)
    with pytest.raises(PortalError):
        services.listing_renew(user=listing.owner, listing=listing)


def test_expiry_reminds_once_30_days_before_and_expires_after_the_date():
    listing = make_listing()
    owner = listing.owner
    expires_on = listing.expires_on

    def reminders():
        return Notification.objects.filter(
            recipient=owner, subject__startswith="Tin của bạn sẽ hết hạn"
        ).count()

    with time_machine.travel(at_noon(expires_on - timedelta(days=31)), tick=False):
        assert services.listings_expire() == (0, 0)
    with time_machine.travel(at_noon(expires_on - timedelta(days=30)), tick=False):
        assert services.listings_expire() == (0, 1)
        assert services.listings_expire() == (0, 0)
    assert reminders() == 1
    with time_machine.travel(at_noon(expires_on), tick=False):
        assert services.listings_expire() == (0, 0)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    with time_machine.travel(at_noon(expires_on + timedelta(days=1)), tick=False):
        assert services.listings_expire() == (1, 0)
        assert services.listings_expire() == (0, 0)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.EXPIRED
    assert reminders() == 1
    assert ListingStep.objects.filter(
        listing=listing, to_status=ListingStatus.EXPIRED, actor=None
    ).exists()


def test_renewal_resets_the_reminder():
    listing = make_listing()
    with time_machine.travel(at_noon(listing.expires_on - timedelta(days=10)), tick=False):
        services.listings_expire()
        listing.refresh_from_db()
        assert listing.expiry_reminder_sent_on is not None
        services.listing_renew(user=listing.owner, listing=listing)
    listing.refresh_from_db()
    assert listing.expiry_reminder_sent_on is None


# --- enquiries ---------------------------------------------------------------------------------


def test_an_enquiry_gets_an_answer_deadline_and_the_owner_is_told():
    listing = make_listing()
    enquiry = make_enquiry(listing=listing)
    assert enquiry.status == EnquiryStatus.OPEN
    expected = enquiry.created_at + timedelta(days=services.ENQUIRY_ANSWER_DAYS)
    assert enquiry.answer_due_at == expected
    assert Notification.objects.filter(
        recipient=listing.owner, url=f"/me/technologies/enquiries/{enquiry.pk}/"
    ).exists()


def test_the_owners_first_reply_starts_the_negotiation_and_records_the_answer():
    enquiry = make_enquiry()
    owner = enquiry.listing.owner
    services.enquiry_reply(user=enquiry.sender, enquiry=enquiry, body="Còn điều gì nữa?")
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.OPEN
    assert enquiry.answered_at is None

    message = services.enquiry_reply(user=owner, enquiry=enquiry, body="Chúng ta trao đổi nhé.")
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.NEGOTIATING
    assert enquiry.answered_at == message.created_at

    services.enquiry_reply(user=owner, enquiry=enquiry, body="Thêm một câu.")
    enquiry.refresh_from_db()
    assert enquiry.answered_at == message.created_at


def test_only_the_parties_write_in_an_enquiry():
    enquiry = make_enquiry()
    with pytest.raises(PortalError):
        services.enquiry_reply(user=make_user(), enquiry=enquiry, body="Xin chào")
    assert not enquiry.messages.exists()


def test_decline_needs_a_reason_and_other_needs_a_note():
    enquiry = make_enquiry()
    owner = enquiry.listing.owner
    with pytest.raises(ValidationError) as excinfo:
        services.enquiry_decline(user=owner, enquiry=enquiry, reason="")
    assert "reason" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.enquiry_decline(user=owner, enquiry=enquiry, reason="other", note=" ")
    assert "note" in errors_of(excinfo)
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.OPEN

    services.enquiry_decline(user=owner, enquiry=enquiry, reason="other", note="Đã chuyển giao.")
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.DECLINED
    assert enquiry.decline_reason == "other"
    assert enquiry.answered_at is not None
    assert enquiry.steps.last().note == "Đã chuyển giao."


def test_the_sender_cannot_decline_or_agree():
    enquiry = make_enquiry(status=EnquiryStatus.NEGOTIATING)
    with pytest.raises(PortalError):
        services.enquiry_decline(user=enquiry.sender, enquiry=enquiry, reason="price")
    with pytest.raises(PortalError):
        services.enquiry_agree(user=enquiry.sender, enquiry=enquiry, amount_vnd=1_000)
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.NEGOTIATING
    assert not Deal.objects.exists()


def test_agree_records_the_amount_and_creates_a_deal():
    enquiry = make_enquiry(status=EnquiryStatus.NEGOTIATING)
    owner = enquiry.listing.owner
    with pytest.raises(ValidationError):
        services.enquiry_agree(user=owner, enquiry=enquiry, amount_vnd=0)

    deal = services.enquiry_agree(user=owner, enquiry=enquiry, amount_vnd=250_000_000)
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.DEAL
    assert enquiry.agreed_amount_vnd == 250_000_000
    assert deal.enquiry == enquiry
    assert deal.buyer == enquiry.sender
    assert deal.source == DealSource.NEGOTIATED
    assert deal.amount_vnd == 250_000_000
    assert (deal.sector, deal.trl) == (enquiry.listing.sector, enquiry.listing.trl)


def test_an_unanswered_enquiry_cannot_become_a_deal():
    enquiry = make_enquiry()
    with pytest.raises(PortalError):
        services.enquiry_agree(user=enquiry.listing.owner, enquiry=enquiry, amount_vnd=1_000)
    assert not Deal.objects.exists()


def test_overdue_enquiries_are_flagged_to_the_owner_and_staff_once():
    staff = make_user(Role.DEPARTMENT_STAFF)
    enquiry = make_enquiry()
    answered = make_enquiry(status=EnquiryStatus.NEGOTIATING)
    owner = enquiry.listing.owner

    def flags(user, url):
        return Notification.objects.filter(recipient=user, url=url).count()

    staff_url = "/admin/technologies/enquiries/"
    owner_url = f"/me/technologies/enquiries/{enquiry.pk}/"
    owner_before = flags(owner, owner_url)
    assert services.enquiries_flag_overdue() == 0

    with time_machine.travel(enquiry.answer_due_at + timedelta(minutes=1), tick=False):
        assert Enquiry.objects.get(pk=enquiry.pk).is_overdue
        assert services.enquiries_flag_overdue() == 1
        assert services.enquiries_flag_overdue() == 0
    assert flags(owner, owner_url) == owner_before + 1
    assert flags(staff, staff_url) == 1
    assert Notification.objects.filter(recipient=answered.listing.owner, url=staff_url).count() == 0
    enquiry.refresh_from_db()
    assert enquiry.overdue_flagged_at is not None


# --- images ------------------------------------------------------------------------------------


def png(name="photo.png", content=PNG_BYTES):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_the_owner_adds_and_removes_images_checked_by_content(
    django_capture_on_commit_callbacks,
):
    listing = make_listing()
    image = image_services.listing_image_add(
        user=listing.owner, listing=listing, upload=png(name="../evil.exe"), caption=" Cảm biến "
    )
    assert image.caption == "Cảm biến"
    assert image.image.name.endswith(".png")
    assert "evil" not in image.image.name
    stored = Path(image.image.path)
    assert stored.read_bytes() == PNG_BYTES

    with django_capture_on_commit_callbacks(execute=True):
        image_services.listing_image_remove(user=listing.owner, image=image)
    assert not ListingImage.objects.exists()
    assert not stored.exists()


@pytest.mark.parametrize("content", [PDF_BYTES, b"just text", b""])
def test_an_image_that_is_not_png_jpeg_or_webp_is_refused(content):
    listing = make_listing()
    with pytest.raises(PortalError):
        image_services.listing_image_add(
            user=listing.owner, listing=listing, upload=png(content=content)
        )
    assert not ListingImage.objects.exists()


def test_only_the_owner_of_an_active_listing_adds_images():
    listing = make_listing()
    with pytest.raises(PortalError):
        image_services.listing_image_add(user=make_user(), listing=listing, upload=png())
    closed = make_listing(status=ListingStatus.CLOSED)
    with pytest.raises(PortalError):
        image_services.listing_image_add(user=closed.owner, listing=closed, upload=png())
    image = image_services.listing_image_add(user=listing.owner, listing=listing, upload=png())
    with pytest.raises(PortalError):
        image_services.listing_image_remove(user=make_user(), image=image)
    assert ListingImage.objects.count() == 1


def test_a_listing_has_at_most_ten_images():
    listing = make_listing(status=ListingStatus.DRAFT)
    for _ in range(image_services.MAX_IMAGES):
        image_services.listing_image_add(user=listing.owner, listing=listing, upload=png())
    with pytest.raises(PortalError) as excinfo:
        image_services.listing_image_add(user=listing.owner, listing=listing, upload=png())
    assert "at most 10 images" in str(excinfo.value.message)
    assert listing.images.count() == image_services.MAX_IMAGES
