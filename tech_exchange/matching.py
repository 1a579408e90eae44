"""Offers meet requests: when a listing is published, the discovery engine finds the published
listings of the other kind that share most of its words, those of the same sector first. The
new listing's owner gets the top matches in one message; each matched listing's owner hears
about the new listing. Nobody hears anything when nothing matches."""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.notifications.services import notification_send

from .models import Kind, Listing
from .selectors import listings_like

MATCH_LIMIT = 5
OPPOSITE = {Kind.OFFER: Kind.REQUEST, Kind.REQUEST: Kind.OFFER}


def matches_for(listing: Listing, limit: int = MATCH_LIMIT) -> list[Listing]:
    """The published listings of the other kind that best match `listing`, never its owner's."""
    return listings_like(
        listing,
        kind=OPPOSITE[listing.kind],
        limit=limit,
        prefer_sector=True,
        exclude_owner=True,
    )


def _link(listing: Listing) -> str:
    return settings.PORTAL_BASE_URL + listing.get_absolute_url()


def _send(recipient: User, subject: Callable[[], str], body: Callable[[], str], path) -> None:
    """One inbox message in the recipient's language, its links in that language too."""
    with translation.override(recipient.language):
        notification_send(recipient=recipient, subject=subject(), body=body(), url=path())


def _more_of_the_other_kind(listing: Listing) -> str:
    params = QueryDict(mutable=True)
    params["kind"] = OPPOSITE[listing.kind]
    params["sector"] = listing.sector
    return f"{reverse('tech_exchange:exchange')}?{params.urlencode()}"


def _to_new_owner(listing: Listing, matches: list[Listing]) -> None:
    def subject() -> str:
        if listing.kind == Kind.OFFER:
            text = _("Technology requests matching your offer: %(title)s")
        else:
            text = _("Technology offers matching your request: %(title)s")
        return text % {"title": listing.title}

    def body() -> str:
        lines = "\n".join(
            f"- {match.title} ({match.owner_organisation}): {_link(match)}" for match in matches
        )
        if listing.kind == Kind.OFFER:
            text = _("These open requests on the exchange look like a match for “%(title)s”:")
        else:
            text = _("These offers on the exchange look like a match for “%(title)s”:")
        hint = _("Open one to send its owner an enquiry.")
        return f"{text % {'title': listing.title}}\n\n{lines}\n\n{hint}"

    _send(listing.owner, subject, body, lambda: _more_of_the_other_kind(listing))


def _to_matched_owner(match: Listing, listing: Listing) -> None:
    def subject() -> str:
        return _("A new listing matches yours: %(title)s") % {"title": match.title}

    def body() -> str:
        return _(
            "“%(new)s” (%(kind)s, %(organisation)s) was just published on the exchange and looks "
            "like a match for your listing “%(yours)s”:\n%(link)s"
        ) % {
            "new": listing.title,
            "kind": listing.get_kind_display(),
            "organisation": listing.owner_organisation,
            "yours": match.title,
            "link": _link(listing),
        }

    _send(match.owner, subject, body, listing.get_absolute_url)


@transaction.atomic
def notify_matches(listing: Listing) -> list[Listing]:
    """Tells both sides about the matches of a newly published `listing`; returns them."""
    matches = matches_for(listing)
    if not matches:
        return []
    _to_new_owner(listing, matches)
    for match in matches:
        _to_matched_owner(match, listing)
    return matches
