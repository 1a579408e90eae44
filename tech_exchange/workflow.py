"""The lifecycles of the exchange, each declared once: listings and enquiries."""

from .models import EnquiryStatus as E
from .models import ListingStatus as L

OWNER, STAFF, SYSTEM, SENDER = "owner", "staff", "system", "sender"

# (from, to) → who may take the step. Expiry is the daily job's; renewal re-publishes an
# expired listing for another 12 months.
LISTING_STEPS: dict[tuple[str, str], str] = {
    (L.DRAFT, L.UNDER_REVIEW): OWNER,
    (L.UNDER_REVIEW, L.PUBLISHED): STAFF,
    (L.UNDER_REVIEW, L.DRAFT): STAFF,
    (L.PUBLISHED, L.CLOSED): OWNER,
    (L.PUBLISHED, L.EXPIRED): SYSTEM,
    (L.EXPIRED, L.PUBLISHED): OWNER,
}

ENQUIRY_STEPS: dict[tuple[str, str], str] = {
    (E.OPEN, E.NEGOTIATING): OWNER,
    (E.OPEN, E.DECLINED): OWNER,
    (E.NEGOTIATING, E.DECLINED): OWNER,
    (E.NEGOTIATING, E.DEAL): OWNER,
}

# Owners see these statuses as still needing them.
OPEN_ENQUIRIES = frozenset({E.OPEN, E.NEGOTIATING})
