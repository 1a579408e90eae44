"""The exchange's background work."""

from django_tasks import task

from . import matching
from .selectors import public_listings


@task()
def match_published_listing(listing_id: int) -> None:
    """Runs after a listing's publication commits: tells both sides about its matches."""
    listing = public_listings().select_related("owner").filter(pk=listing_id).first()
    if listing is None:  # closed or withdrawn before the task ran: nothing to announce
        return
    matching.notify_matches(listing)
