"""A listing's public page: its facts, who may see a listing that is not public, similar
listings, documents with the confidential ones behind the click-through NDA (recorded once, with
time and account), and enquiries from signed-in readers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.roles import Role
from portal.notifications.models import Notification
from tech_exchange import services
from tech_exchange.models import Enquiry, ListingStatus, NdaAcceptance
from tests.factories import make_user, with_mfa
from tests.factories.tech_exchange import make_listing

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _page(listing) -> str:
    return f"/en/technologies/{listing.slug}/"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


# --- the page ----------------------------------------------------------------------------------


def test_page_shows_every_public_fact(client, exchange):
    html = client.get(_page(exchange["air"])).content.decode()
    for text in (
        "Cảm biến chất lượng không khí giá rẻ",
        "Technology offer",
        "Đại học Bách khoa Hà Nội",
        "University",
        "Cảm biến bụi mịn PM2.5 dùng mạng LoRa",
        "Thiết bị đo bụi mịn và khí độc",
        "Smart city",
        "TRL 6: technology demonstrated in a relevant environment",
        "Utility solution",
        "Việt Nam",
        "filed on 01/03/2024",
        "Non-exclusive licence",
        "150.000.000 ₫",
    ):
        assert text in html, text
    assert exchange["air"].ip_number in html
    negotiable = client.get(_page(exchange["water"])).content.decode()
    assert "Negotiable" in negotiable and "Research institute" in negotiable
    assert "1-2025-01234" in negotiable and "Patent application filed" in negotiable


def test_listings_that_are_not_public_exist_only_for_their_owner_and_staff(client, exchange):
    staff = with_mfa(make_user(Role.DEPARTMENT_STAFF, language="en"))
    stranger = make_user()
    for status, listing in exchange["hidden"].items():
        assert client.get(_page(listing)).status_code == 404, status
        client.force_login(stranger)
        assert client.get(_page(listing)).status_code == 404, status
        client.force_login(listing.owner)
        owner_view = client.get(_page(listing))
        assert owner_view.status_code == 200, status
        assert "This listing is not public" in owner_view.content.decode()
        assert "no-cache" in owner_view["Cache-Control"]
        client.force_login(staff)
        assert client.get(_page(listing)).status_code == 200, status
        client.logout()
    assert client.get("/en/technologies/khong-ton-tai/").status_code == 404


def test_similar_listings_are_of_the_same_kind_never_the_listing_itself(client, exchange):
    air, soil = exchange["air"], exchange["soil"]
    similar = client.get(_page(air)).context["similar"]
    assert similar[0] == soil  # shares "cảm biến", "dữ liệu"…
    assert len(similar) <= 4
    assert air not in similar and exchange["need"] not in similar
    assert all(listing.kind == "offer" and listing.is_public for listing in similar)
    html = client.get(_page(air)).content.decode()
    assert "Similar listings" in html and f'href="{_page(soil)}"' in html
    # The request's similar listings are requests: there are no others.
    assert client.get(_page(exchange["need"])).context["similar"] == []


def test_owner_sees_a_link_to_the_workspace_not_the_enquiry_form(client, exchange):
    air = exchange["air"]
    client.force_login(air.owner)
    response = client.get(_page(air))
    html = response.content.decode()
    assert f'href="/en/me/technologies/{air.pk}/"' in html
    assert response.context["enquiry_form"] is None
    assert 'action="/en/technologies/' + air.slug + "/enquire/" not in html


# --- documents and the NDA ---------------------------------------------------------------------


@pytest.fixture
def documents(exchange):
    air = exchange["air"]
    public = services.document_add(
        user=air.owner,
        listing=air,
        upload=_pdf("brochure.pdf"),
        title="Brochure",
        confidential=False,
    )
    secret = services.document_add(
        user=air.owner,
        listing=air,
        upload=_pdf("thiet-ke.pdf"),
        title="Bản vẽ thiết kế mạch",
        confidential=True,
    )
    return {"listing": air, "public": public, "secret": secret}


def _document_url(document) -> str:
    return f"/en/technologies/{document.listing.slug}/documents/{document.pk}/"


def _assert_private_download(response):
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_public_documents_open_to_anyone(client, documents):
    _assert_private_download(client.get(_document_url(documents["public"])))


def test_confidential_documents_are_refused_before_the_nda(client, documents):
    secret = documents["secret"]
    anonymous = client.get(_document_url(secret))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    html = client.get(_page(documents["listing"])).content.decode()
    assert "Bản vẽ thiết kế mạch" in html and "Locked" in html
    assert _document_url(secret) not in html

    reader = make_user(language="en")
    client.force_login(reader)
    assert client.get(_document_url(secret)).status_code == 403
    page = client.get(_page(documents["listing"])).content.decode()
    assert f'href="/en/technologies/{secret.listing.slug}/nda/"' in page
    assert _document_url(secret) not in page
    assert not NdaAcceptance.objects.exists()


def test_accepting_the_nda_opens_them_and_is_recorded_once(client, documents):
    listing, secret = documents["listing"], documents["secret"]
    reader = make_user(language="en")
    client.force_login(reader)
    nda_page = client.get(f"/en/technologies/{listing.slug}/nda/")
    assert nda_page.status_code == 200
    assert "I accept the confidentiality agreement" in nda_page.content.decode()

    accepted = client.post(f"/en/technologies/{listing.slug}/nda/")
    assert accepted.status_code == 302 and accepted["Location"].endswith("#documents")
    [acceptance] = NdaAcceptance.objects.all()
    assert (acceptance.user, acceptance.listing) == (reader, listing)
    assert acceptance.accepted_at is not None and acceptance.ip_address == "127.0.0.1"
    assert acceptance.nda_version == services.NDA_VERSION

    _assert_private_download(client.get(_document_url(secret)))
    page = client.get(_page(listing)).content.decode()
    assert _document_url(secret) in page and "Locked" not in page

    client.post(f"/en/technologies/{listing.slug}/nda/")
    assert NdaAcceptance.objects.count() == 1
    assert NdaAcceptance.objects.get().accepted_at == acceptance.accepted_at
    assert (
        "You accepted this agreement on"
        in client.get(f"/en/technologies/{listing.slug}/nda/").content.decode()
    )
    # The NDA is per listing and per account.
    client.force_login(make_user())
    assert client.get(_document_url(secret)).status_code == 403


def test_the_nda_needs_a_signed_in_reader_who_is_not_the_owner(client, documents):
    listing = documents["listing"]
    anonymous = client.post(f"/en/technologies/{listing.slug}/nda/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert (
        "Sign in to accept the agreement"
        in client.get(f"/en/technologies/{listing.slug}/nda/").content.decode()
    )
    client.force_login(listing.owner)
    refused = client.post(f"/en/technologies/{listing.slug}/nda/", follow=True)
    assert not NdaAcceptance.objects.exists()
    assert refused.status_code == 200
    # The owner and staff read the confidential documents without any NDA.
    _assert_private_download(client.get(_document_url(documents["secret"])))
    client.force_login(with_mfa(make_user(Role.DEPARTMENT_STAFF)))
    _assert_private_download(client.get(_document_url(documents["secret"])))


def test_documents_of_a_listing_no_longer_public_are_gone(client, documents):
    listing = documents["listing"]
    services.listing_close(user=listing.owner, listing=listing)
    assert client.get(_document_url(documents["public"])).status_code == 404
    client.force_login(make_user())
    assert client.get(_document_url(documents["public"])).status_code == 404
    assert client.post(f"/en/technologies/{listing.slug}/nda/").status_code == 404
    client.force_login(listing.owner)
    _assert_private_download(client.get(_document_url(documents["secret"])))


def test_a_document_is_served_only_under_its_own_listing(client, documents, exchange):
    other = exchange["soil"]
    url = f"/en/technologies/{other.slug}/documents/{documents['public'].pk}/"
    assert client.get(url).status_code == 404


# --- enquiries ---------------------------------------------------------------------------------


def _enquire(client, listing, message="Chúng tôi muốn thử nghiệm tại 10 trường.", **extra):
    return client.post(
        f"/en/technologies/{listing.slug}/enquire/", {"message": message, **extra}, follow=False
    )


def test_anonymous_readers_are_asked_to_sign_in(client, exchange):
    air = exchange["air"]
    html = client.get(_page(air)).content.decode()
    assert "Sign in to send an enquiry" in html
    response = _enquire(client, air)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enquiry.objects.exists()


def test_a_signed_in_reader_sends_an_enquiry(client, exchange):
    air = exchange["air"]
    buyer = make_user(language="en")
    client.force_login(buyer)
    assert client.get(_page(air)).context["enquiry_form"] is not None
    response = _enquire(client, air, organisation="Trường THCS Cầu Giấy")
    [enquiry] = Enquiry.objects.all()
    assert (enquiry.listing, enquiry.sender) == (air, buyer)
    assert enquiry.organisation == "Trường THCS Cầu Giấy"
    assert response.status_code == 302
    assert response["Location"] == f"/en/me/technologies/enquiries/{enquiry.pk}/"
    assert Notification.objects.filter(
        recipient=air.owner, url=f"/me/technologies/enquiries/{enquiry.pk}/"
    ).exists()


def test_an_empty_message_is_refused(client, exchange):
    client.force_login(make_user(language="en"))
    response = _enquire(client, exchange["air"], message="   ")
    assert response.status_code == 400
    assert "Say what interests you and what you need." in response.content.decode()
    assert not Enquiry.objects.exists()


def test_a_second_open_enquiry_is_refused_with_a_message(client, exchange):
    client.force_login(make_user(language="en"))
    _enquire(client, exchange["air"])
    again = _enquire(client, exchange["air"], message="Xin nhắc lại.")
    assert again.status_code == 409
    assert "You already have an open enquiry about this listing" in again.content.decode()
    assert Enquiry.objects.count() == 1


def test_the_owner_cannot_enquire_about_their_own_listing(client, exchange):
    air = exchange["air"]
    client.force_login(air.owner)
    response = _enquire(client, air)
    assert response.status_code == 400
    assert "You cannot enquire about your own listing." in response.content.decode()
    assert not Enquiry.objects.exists()


def test_listings_that_are_not_public_take_no_enquiries(client, exchange):
    client.force_login(make_user())
    closed = exchange["hidden"][ListingStatus.CLOSED]
    assert _enquire(client, closed).status_code == 404
    draft = make_listing(status=ListingStatus.DRAFT)
    assert _enquire(client, draft).status_code == 404
    assert not Enquiry.objects.exists()
