from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import registry
from .engines import get_engine
from .forms import MAX_QUERY_LENGTH, SearchForm
from .selectors import facet_groups, labelled_hits, page_links, type_tabs


def search(request):
    form = SearchForm(request.GET)
    search_request = form.to_request()
    results = get_engine().search(search_request)
    context = {
        "form": form,
        "results": results,
        "query": search_request.text,
        "hits": labelled_hits(results),
        "pages": page_links(results, request.GET),
        "tabs": type_tabs(results, request.GET),
        "facet_groups": facet_groups(results, request.GET),
        "sort_choices": form.fields["sort"].choices,
    }
    return render(request, "search/search.html", context)


@never_cache
def suggest(request):
    prefix = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    suggestions = get_engine().suggest(prefix, limit=8)
    labels = registry.type_labels()
    return JsonResponse(
        {
            "suggestions": [
                {
                    "title": s.title,
                    "url": s.url,
                    "type": s.type,
                    "type_label": labels.get(s.type, ""),
                }
                for s in suggestions
            ]
        }
    )
