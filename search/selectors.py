"""Shapes search results for the page: type tabs and facet groups with their toggle links."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from . import registry
from .base import SearchResults
from .models import SavedSearch


def _link(params: QueryDict, **changes) -> str:
    query = params.copy()
    query.pop("page", None)  # a new filter or tab starts from the first page
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query.setlist(key, value if isinstance(value, list) else [value])
    return "?" + query.urlencode()


def query_link(params: QueryDict, **changes) -> str:
    """`params` with `changes` applied (a falsy value removes the parameter), back on page 1: for
    pages that build their own filter links (e.g. removable filter chips) alongside facet_groups."""
    return _link(params, **changes)


def type_tabs(results: SearchResults, params: QueryDict) -> list[dict]:
    current = results.request.types[0] if results.request.types else ""
    # Switching type drops the other type's facet filters.
    facet_fields = {f for adapter in registry.adapters() for f in adapter.facets}
    reset = dict.fromkeys(facet_fields)
    tabs = [
        {
            "label": _("All"),
            "count": sum(results.type_counts.values()),
            "url": _link(params, type=None, **reset),
            "current": not current,
        }
    ]
    for adapter in registry.adapters():
        tabs.append(
            {
                "label": adapter.label,
                "count": results.type_counts.get(adapter.name, 0),
                "url": _link(params, type=adapter.name, **reset),
                "current": current == adapter.name,
            }
        )
    return tabs


def facet_groups(results: SearchResults, params: QueryDict) -> list[dict]:
    adapters = registry.adapters(results.request.types)
    groups = []
    for field, values in results.facets.items():
        owner = next((a for a in adapters if field in a.facets), None)
        selected = set(results.request.filters.get(field, ()))
        options = []
        for facet in values:
            chosen = facet.value in selected
            toggled = sorted(selected - {facet.value} if chosen else selected | {facet.value})
            options.append(
                {
                    "value": facet.value,
                    "label": owner.label_for_value(field, facet.value) if owner else facet.value,
                    "count": facet.count,
                    "selected": chosen,
                    "url": _link(params, **{field: toggled}),
                }
            )
        label = owner.facet_labels.get(field, field) if owner else field
        groups.append({"field": field, "label": label, "options": options})
    return groups


def labelled_hits(results: SearchResults) -> list[tuple]:
    labels = registry.type_labels()
    return [(hit, labels.get(hit.type, hit.type)) for hit in results.hits]


def page_links(results: SearchResults, params: QueryDict) -> dict[str, str]:
    page = results.request.page
    return {
        "previous": _link(params, page=str(page - 1)) if results.has_previous else "",
        "next": _link(params, page=str(page + 1)) if results.has_next else "",
    }


def saved_searches_of(user):
    return SavedSearch.objects.filter(user=user)
