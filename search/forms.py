from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .base import SORTS, SearchRequest

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    """Reads a search from the address; anything unknown is ignored rather than refused, so a
    shared or old link always shows results."""

    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH, strip=True)
    type = forms.CharField(required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("relevance", _("Most relevant")),
            ("newest", _("Newest")),
            ("title", _("Title A–Z")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1)

    def to_request(self, page_size: int = 20) -> SearchRequest:
        data = self.cleaned_data if self.is_valid() else {}
        names = {adapter.name for adapter in registry.adapters()}
        types = (data["type"],) if data.get("type") in names else ()
        facet_fields = {f for adapter in registry.adapters(types) for f in adapter.facets}
        filters = {
            field: tuple(values)
            for field in sorted(facet_fields)
            if (values := [v for v in self.data.getlist(field) if v][:20])
        }
        return SearchRequest(
            text=data.get("q") or "",
            types=types,
            filters=filters,
            sort=data.get("sort") if data.get("sort") in SORTS else "relevance",
            page=data.get("page") or 1,
            page_size=page_size,
        )
