from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.exceptions import PortalError
from portal.notifications.services import notification_send

from .base import SearchRequest
from .engines import get_engine
from .models import SavedSearch

MAX_SAVED_SEARCHES = 50
ALERT_ITEMS = 10


def saved_search_create(*, user: User, request: SearchRequest) -> SavedSearch:
    """Saves what `request` looks for; new matches are announced from now on."""
    if not (request.text.strip() or request.types or request.filters):
        raise PortalError(_("Type some words or choose a filter before saving a search."))
    if user.saved_searches.count() >= MAX_SAVED_SEARCHES:
        raise PortalError(
            _("You can keep at most %(limit)d saved searches; delete one first.")
            % {"limit": MAX_SAVED_SEARCHES}
        )
    filters = {field: sorted(values) for field, values in sorted(request.filters.items())}
    saved, created = SavedSearch.objects.get_or_create(
        user=user,
        query=request.text.strip(),
        doc_type=request.types[0] if request.types else "",
        filters=filters,
        defaults={"checked_until": timezone.now()},
    )
    if not created:
        raise PortalError(_("You have already saved this search."), code="duplicate")
    return saved


def saved_search_delete(*, user: User, saved_search: SavedSearch) -> None:
    if saved_search.user_id != user.pk:
        raise PortalError(_("This saved search is not yours."), status_code=404)
    saved_search.delete()


def saved_search_request(saved: SavedSearch, **options) -> SearchRequest:
    return SearchRequest(
        text=saved.query,
        types=(saved.doc_type,) if saved.doc_type else (),
        filters={field: tuple(values) for field, values in saved.filters.items()},
        **options,
    )


def saved_search_url(saved: SavedSearch) -> str:
    params = QueryDict(mutable=True)
    if saved.query:
        params["q"] = saved.query
    if saved.doc_type:
        params["type"] = saved.doc_type
    for field, values in saved.filters.items():
        params.setlist(field, values)
    params["sort"] = "newest"
    return f"{reverse('search')}?{params.urlencode()}"


@transaction.atomic
def saved_search_alert(*, saved: SavedSearch, until) -> int:
    """Tells the user about items published since the last check; returns how many."""
    results = get_engine().search(
        saved_search_request(
            saved, published_after=saved.checked_until, sort="newest", page_size=ALERT_ITEMS
        )
    )
    # Items published while this check runs are left for the next one.
    new_hits = [hit for hit in results.hits if not hit.published_at or hit.published_at <= until]
    if new_hits:
        with translation.override(saved.user.language):
            subject = _("New results for your saved search “%(search)s”") % {"search": str(saved)}
            body = render_to_string(
                "search/saved_search_alert.txt",
                {"hits": new_hits, "total": len(new_hits), "base_url": settings.PORTAL_BASE_URL},
            )
            notification_send(
                recipient=saved.user, subject=subject, body=body, url=saved_search_url(saved)
            )
    saved.checked_until = until
    saved.save(update_fields=["checked_until"])
    return len(new_hits)


def saved_search_alerts(since) -> str:
    """The scheduled job: checks every saved search once."""
    until = timezone.now()
    alerted = sum(
        1
        for saved in SavedSearch.objects.select_related("user").iterator()
        if saved_search_alert(saved=saved, until=until)
    )
    return f"{alerted} saved searches had new results"
