"""Who may see and do what on the exchange. Deny by default; used by views, API, files and
templates alike."""

from portal.accounts.permissions import is_department_staff

from .models import Enquiry, Listing, ListingDocument, ListingStatus, Order

EDITABLE_BY_OWNER = frozenset({ListingStatus.DRAFT})


def is_owner(user, listing: Listing) -> bool:
    return user.is_authenticated and listing.owner_id == user.pk


def can_review_listings(user) -> bool:
    return is_department_staff(user)


def can_view_listing(user, listing: Listing) -> bool:
    return listing.is_public or is_owner(user, listing) or can_review_listings(user)


def can_edit_listing(user, listing: Listing) -> bool:
    return is_owner(user, listing) and listing.status in EDITABLE_BY_OWNER


def can_enquire(user, listing: Listing) -> bool:
    return user.is_authenticated and listing.is_public and not is_owner(user, listing)


def has_accepted_nda(user, listing: Listing) -> bool:
    if not user.is_authenticated:
        return False
    cache = listing.__dict__.setdefault("_nda_users", {})
    if user.pk not in cache:
        cache[user.pk] = listing.nda_acceptances.filter(user=user).exists()
    return cache[user.pk]


def can_download_document(user, document: ListingDocument) -> bool:
    listing = document.listing
    if is_owner(user, listing) or can_review_listings(user):
        return True
    if not listing.is_public:
        return False
    return not document.confidential or has_accepted_nda(user, listing)


def is_party(user, enquiry: Enquiry) -> bool:
    return user.is_authenticated and user.pk in (enquiry.sender_id, enquiry.listing.owner_id)


def can_view_enquiry(user, enquiry: Enquiry) -> bool:
    return is_party(user, enquiry) or is_department_staff(user)


def can_view_order(user, order: Order) -> bool:
    return user.is_authenticated and (
        user.pk in (order.buyer_id, order.seller_id) or is_department_staff(user)
    )
