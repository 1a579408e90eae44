import re

import pytest

from tech_exchange.models import Enquiry, EnquiryStatus, Listing, ListingStatus, NdaAcceptance
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TITLE = "Cảm biến độ ẩm đất cho ruộng lúa thông minh"


def test_provider_offers_buyer_finds_without_diacritics_enquires_signs_nda_provider_answers(
    browser, live_server, accounts, settings
):
    base = live_server.url

    # The provider describes an offer, with a confidential datasheet, and submits it.
    provider = browser.new_context(locale="vi-VN").new_page()
    sign_in(provider, base, "provider@example.org")
    provider.goto(f"{base}/me/technologies/new/?kind=offer")
    provider.fill("input[name=title]", TITLE)
    provider.fill("input[name=owner_organisation]", "Viện Thổ nhưỡng Nông hóa")
    provider.select_option("select[name=owner_type]", "institute")
    provider.fill("[name=summary]", "Cảm biến đo độ ẩm đất giá rẻ, gửi dữ liệu qua LoRa.")
    provider.fill("[name=description]", "Tiết kiệm 30 % nước tưới, pin dùng hai vụ lúa.")
    provider.select_option("select[name=sector]", "agritech")
    provider.select_option("select[name=trl]", "7")
    provider.select_option("select[name=ip_status]", "know_how")
    provider.select_option("select[name=licensing_model]", "non_exclusive")
    provider.select_option("select[name=price_type]", "negotiable")
    provider.click("form.profile-form button[type=submit]")
    provider.wait_for_url(re.compile(r".*/me/technologies/\d+/$"))
    listing = Listing.objects.get(title=TITLE)
    documents = provider.locator("form[action$='/documents/']")
    documents.locator("input[name=title]").fill("Báo cáo thử nghiệm đồng ruộng")
    documents.locator("input[type=file]").set_input_files(
        {"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    documents.locator("input[name=confidential]").check()
    documents.locator("button[type=submit]").click()
    provider.wait_for_load_state()
    provider.locator("form[action$='/submit/'] button").click()
    provider.wait_for_load_state()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW

    # Department staff publish it.
    staff = browser.new_context(locale="vi-VN").new_page()
    sign_in(staff, base, "staff@example.org", settings.DEMO_TOTP_SECRET)
    staff.goto(f"{base}/admin/technologies/listings/{listing.pk}/")
    staff.check("input[name=decision][value=publish]")
    staff.locator("section[aria-labelledby=decision-heading] button[type=submit]").click()
    staff.wait_for_load_state()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED

    # A buyer finds it without diacritics, sends an enquiry and accepts the NDA.
    buyer = browser.new_context(locale="vi-VN").new_page()
    sign_in(buyer, base, "founder@example.org")
    buyer.goto(f"{base}/technologies/?q=cam+bien+do+am+dat")
    buyer.click(f"text={TITLE}")
    buyer.wait_for_url(f"{base}/technologies/{listing.slug}/")
    assert "Báo cáo thử nghiệm đồng ruộng" in buyer.content()
    buyer.fill("[name=organisation]", "Hợp tác xã Nông nghiệp Đông Anh")
    buyer.fill("[name=message]", "Chúng tôi muốn lắp 200 cảm biến cho vụ xuân.")
    buyer.locator("form[action*='/enquire/'] button[type=submit]").click()
    # The form posts to "…/enquire/#enquiry": the browser keeps the fragment on the redirect.
    buyer.wait_for_url(re.compile(r".*/me/technologies/enquiries/\d+/(#\w+)?$"))
    enquiry = Enquiry.objects.get(listing=listing)
    buyer.goto(f"{base}/technologies/{listing.slug}/nda/")
    buyer.locator("form[action$='/nda/'] button[type=submit]").click()
    buyer.wait_for_load_state()
    acceptance = NdaAcceptance.objects.get(listing=listing, user=enquiry.sender)
    assert acceptance.accepted_at is not None
    document = listing.documents.get()
    download = buyer.request.get(f"{base}/technologies/{listing.slug}/documents/{document.pk}/")
    assert download.status == 200
    assert download.body().startswith(b"%PDF")

    # The provider answers within the deadline shown on the enquiry.
    provider.goto(f"{base}/me/technologies/enquiries/{enquiry.pk}/")
    provider.locator("form:has(input[name=action][value=reply]) [name=body]").fill(
        "Cảm ơn anh chị, chúng tôi gửi báo giá và lịch khảo sát ruộng."
    )
    provider.locator("form:has(input[name=action][value=reply]) button[type=submit]").click()
    provider.wait_for_load_state()
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.NEGOTIATING
    assert enquiry.answered_at <= enquiry.answer_due_at
    buyer.goto(f"{base}/me/technologies/enquiries/{enquiry.pk}/")
    assert "chúng tôi gửi báo giá" in buyer.content()
