"""Matching on publication: the discovery engine finds published listings of the other kind
sharing the new listing's words (the same sector first, never the owner's own); the new
listing's owner gets the top matches in one message and each matched owner hears about the new
listing. Nothing is sent when nothing matches."""

import pytest
from django.conf import settings

from portal.accounts.roles import Role
from portal.notifications.models import Notification
from tech_exchange import services, tasks
from tech_exchange.matching import matches_for
from tech_exchange.models import ListingStatus
from tests.factories import make_user
from tests.factories.tech_exchange import make_listing

pytestmark = pytest.mark.django_db

NO_IP = {"ip_status": "none", "ip_number": "", "ip_jurisdiction": "", "ip_filed_on": None}
NEGOTIABLE = {"price_type": "negotiable", "price_vnd": None}

# "A new listing matches yours: …" in the Vietnamese the owners of these listings read.
MATCH_SUBJECT = "Có tin mới phù hợp với tin của bạn"


def request(title, summary, sector="smart_city", **fields):
    return make_listing(
        kind="request",
        title=title,
        summary=summary,
        description=summary,
        sector=sector,
        **NO_IP,
        **NEGOTIABLE,
        **fields,
    )


def offer(title, summary, sector="smart_city", **fields):
    return make_listing(
        kind="offer", title=title, summary=summary, description=summary, sector=sector, **fields
    )


@pytest.fixture
def provider(db):
    return make_user(Role.PROVIDER, language="en")


@pytest.fixture
def market(django_capture_on_commit_callbacks, provider):
    """Requests in every situation, indexed (and matched among themselves) as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        listings = {
            "dust": request(
                "Cần cảm biến bụi mịn cho trường học",
                "Đo bụi mịn PM2.5 trong lớp học, giá rẻ, không dây.",
            ),
            "soil": request(
                "Tìm cảm biến độ ẩm đất",
                "Cảm biến cho trang trại rau, truyền số liệu về điện thoại.",
                sector="agritech",
            ),
            "boat": request(
                "Công nghệ đóng tàu composite",
                "Vỏ tàu nhẹ, bền với nước mặn, cho hợp tác xã đánh bắt.",
            ),
            "closed": request(
                "Cảm biến bụi mịn PM2.5 cho khu công nghiệp",
                "Cảm biến bụi mịn cho khu công nghiệp.",
                status=ListingStatus.CLOSED,
            ),
            "draft": request(
                "Cảm biến bụi mịn PM2.5 cho bệnh viện",
                "Cảm biến bụi mịn giá rẻ.",
                status=ListingStatus.DRAFT,
            ),
            "own": request(
                "Cảm biến bụi mịn PM2.5 cho văn phòng",
                "Cảm biến bụi mịn giá rẻ cho tòa nhà.",
                owner=provider,
            ),
            "other_offer": offer(
                "Cảm biến bụi mịn PM2.5 thế hệ mới",
                "Cảm biến bụi mịn giá rẻ, pin một năm.",
            ),
        }
    return listings


def _publish_air_offer(django_capture_on_commit_callbacks, provider):
    with django_capture_on_commit_callbacks(execute=True):
        return offer(
            "Cảm biến bụi mịn PM2.5 giá rẻ",
            "Cảm biến bụi mịn PM2.5 đo chất lượng không khí, kết nối LoRa, giá rẻ.",
            owner=provider,
        )


def _sent_after(pk: int):
    return Notification.objects.filter(pk__gt=pk).order_by("pk")


def test_an_offer_finds_the_best_open_requests(
    market, provider, django_capture_on_commit_callbacks
):
    air = _publish_air_offer(django_capture_on_commit_callbacks, provider)
    found = matches_for(air)
    # The request of the same sector sharing most words first; the other sector fills up. Never
    # closed or draft requests, offers, or the provider's own request.
    assert found[:2] == [market["dust"], market["soil"]]
    for key in ("closed", "draft", "own", "other_offer", "boat"):
        assert market[key] not in found, key


def test_the_same_sector_comes_before_more_shared_words(
    provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        near = request(
            "Cảm biến bụi mịn PM2.5 giá rẻ cho nhà kính",
            "Cảm biến bụi mịn giá rẻ cho nông trại.",
            sector="agritech",
        )
        same_sector = request("Hệ thống quan trắc bụi đô thị", "Quan trắc bụi cho phường.")
    air = _publish_air_offer(django_capture_on_commit_callbacks, provider)
    assert matches_for(air) == [same_sector, near]


def test_publishing_tells_both_owners(market, provider, django_capture_on_commit_callbacks):
    before = Notification.objects.order_by("pk").last().pk
    air = _publish_air_offer(django_capture_on_commit_callbacks, provider)
    found = matches_for(air)

    mine = _sent_after(before).filter(recipient=provider, subject__startswith="Technology requests")
    [message] = mine
    assert message.subject == f"Technology requests matching your offer: {air.title}"
    for match in found:
        assert match.title in message.body
        assert f"{settings.PORTAL_BASE_URL}/en/technologies/{match.slug}/" in message.body
    assert market["closed"].title not in message.body
    # The link shows more of the other kind in the same sector, in the owner's language.
    assert message.url == "/en/technologies/?kind=request&sector=smart_city"

    for match in found:
        [theirs] = _sent_after(before).filter(
            recipient=match.owner, subject__startswith=MATCH_SUBJECT
        )
        assert air.title in theirs.body and match.title in theirs.body
        assert theirs.url == f"/technologies/{air.slug}/"  # their language: Vietnamese
    unmatched = [market["boat"].owner, market["closed"].owner, market["draft"].owner]
    assert not _sent_after(before).filter(recipient__in=unmatched, body__contains=air.slug).exists()


def test_a_request_finds_offers(market, django_capture_on_commit_callbacks):
    buyer = make_user(Role.FOUNDER, language="en")
    before = Notification.objects.order_by("pk").last().pk
    with django_capture_on_commit_callbacks(execute=True):
        need = request(
            "Cần cảm biến bụi mịn PM2.5 thế hệ mới",
            "Cảm biến bụi mịn có pin lâu cho xe buýt.",
            owner=buyer,
        )
    [message] = _sent_after(before).filter(recipient=buyer, subject__startswith="Technology offers")
    assert market["other_offer"].title in message.body
    assert market["dust"].title not in message.body  # a request, like the new one
    assert (
        _sent_after(before)
        .filter(
            recipient=market["other_offer"].owner,
            subject__startswith=MATCH_SUBJECT,
        )
        .exists()
    )
    assert matches_for(need) == [market["other_offer"]]


def test_no_message_when_nothing_matches(provider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request("Công nghệ đóng tàu composite", "Vỏ tàu nhẹ, bền với nước mặn.")
    before = Notification.objects.order_by("pk").last().pk
    lonely = _publish_air_offer(django_capture_on_commit_callbacks, provider)
    assert matches_for(lonely) == []
    # The provider hears only that the listing is published; nobody hears of matches.
    to_provider = _sent_after(before).filter(recipient=provider)
    assert list(to_provider.values_list("subject", flat=True)) == [
        f"Your listing is published: {lonely.title}"
    ]
    assert not _sent_after(before).filter(subject__contains="match").exists()


def test_a_listing_closed_before_the_task_runs_announces_nothing(
    market, provider, django_capture_on_commit_callbacks
):
    air = _publish_air_offer(django_capture_on_commit_callbacks, provider)
    services.listing_close(user=provider, listing=air)
    before = Notification.objects.order_by("pk").last().pk
    tasks.match_published_listing.enqueue(air.pk)
    assert not _sent_after(before).exists()
