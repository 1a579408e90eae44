"""Exchange records built through the services, as users would build them."""

import itertools
from datetime import timedelta

from django.utils import timezone

from portal.accounts.roles import Role
from tech_exchange import services
from tech_exchange.models import EnquiryStatus, ListingStatus

from . import make_user

# What the exchange's page and open-data API both let people filter on.
FACETS = {"kind", "sector", "trl", "licensing_model", "ip_status", "price_type", "owner_type"}
_numbers = itertools.count(1)


def listing_fields(**fields) -> dict:
    n = next(_numbers)
    values = {
        "kind": "offer",
        "owner_organisation": "Đại học Bách khoa Hà Nội",
        "owner_type": "university",
        "title": f"Cảm biến chất lượng không khí giá rẻ {n}",
        "summary": "Cảm biến bụi mịn PM2.5 dùng mạng LoRa, chi phí thấp, lắp đặt nhanh.",
        "description": "Thiết bị đo bụi mịn và khí độc, truyền dữ liệu qua LoRaWAN.",
        "sector": "smart_city",
        "trl": 6,
        "ip_status": "utility_solution",
        "ip_number": f"2-000{n:04d}",
        "ip_jurisdiction": "Việt Nam",
        "ip_filed_on": "2024-03-01",
        "licensing_model": "non_exclusive",
        "price_type": "fixed",
        "price_vnd": 150_000_000,
    }
    values.update(fields)
    return values


def make_listing(*, owner=None, status: str = ListingStatus.PUBLISHED, staff=None, **fields):
    """A listing moved to `status` through the services."""
    owner = owner or make_user(Role.PROVIDER)
    listing = services.listing_create(user=owner, fields=listing_fields(**fields))
    if status == ListingStatus.DRAFT:
        return listing
    listing = services.listing_submit(user=owner, listing=listing)
    if status == ListingStatus.UNDER_REVIEW:
        return listing
    staff = staff or make_user(Role.DEPARTMENT_STAFF)
    listing = services.listing_publish(user=staff, listing=listing)
    if status == ListingStatus.PUBLISHED:
        return listing
    if status == ListingStatus.CLOSED:
        return services.listing_close(user=owner, listing=listing)
    if status == ListingStatus.EXPIRED:
        listing.expires_on = timezone.localdate() - timedelta(days=1)
        listing.save(update_fields=["expires_on"])
        services.listings_expire()
        listing.refresh_from_db()
        return listing
    raise ValueError(status)


def make_enquiry(*, listing=None, sender=None, status: str = EnquiryStatus.OPEN, amount=None):
    listing = listing or make_listing()
    sender = sender or make_user()
    enquiry = services.enquiry_send(
        user=sender, listing=listing, message="Chúng tôi muốn triển khai tại 20 phường."
    )
    if status == EnquiryStatus.OPEN:
        return enquiry
    owner = listing.owner
    if status == EnquiryStatus.DECLINED:
        return services.enquiry_decline(user=owner, enquiry=enquiry, reason="too_early")
    services.enquiry_reply(user=owner, enquiry=enquiry, body="Xin chào, chúng ta trao đổi thêm.")
    enquiry.refresh_from_db()
    if status == EnquiryStatus.NEGOTIATING:
        return enquiry
    if status == EnquiryStatus.DEAL:
        services.enquiry_agree(user=owner, enquiry=enquiry, amount_vnd=amount or 300_000_000)
        enquiry.refresh_from_db()
        return enquiry
    raise ValueError(status)
