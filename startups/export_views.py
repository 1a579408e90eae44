"""`/startups/export/?format=csv|xlsx` with the directory's filters: the listed startups, public
columns for the public and every column for registry staff."""

from django.db.models import Case, IntegerField, QuerySet, When
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from search.base import MAX_PAGE_SIZE, SearchRequest
from search.engines import get_engine
from search.selectors import ListingQuery, ListingQueryError

from . import exports, permissions
from .directory import ADAPTER, parse_directory_query
from .models import StartupSector
from .selectors import listed_startups, with_listing_relations

# A text query is answered by the discovery engine, 100 hits a page: an export with `q` holds at
# most the EXPORT_TEXT_CAP best matches (facet filters alone have no cap: they run on the
# database). 5,000 is the city's whole 2030 target, far more than a text query meaningfully ranks.
EXPORT_TEXT_CAP = 5_000


def matching_ids(query: ListingQuery) -> list[str]:
    """The ids the engine finds for the query's text and filters, best first, up to the cap."""
    engine = get_engine()
    ids: list[str] = []
    page = 1
    while len(ids) < EXPORT_TEXT_CAP:
        results = engine.search(
            SearchRequest(
                types=(ADAPTER,),
                text=query.text,
                filters=query.filters,
                sort=query.sort,
                page=page,
                page_size=MAX_PAGE_SIZE,
            )
        )
        ids.extend(hit.id for hit in results.hits)
        if not results.has_next:
            break
        page += 1
    return ids[:EXPORT_TEXT_CAP]


def exported_startups(query: ListingQuery) -> QuerySet:
    """Listed startups matching the query, with what a row shows. Facets filter the database;
    a text query narrows to the engine's matches and keeps their order when sorted by relevance."""
    queryset = listed_startups()
    filters = query.filters
    if sectors := filters.get("sector"):
        queryset = queryset.filter(
            pk__in=StartupSector.objects.filter(sector__in=sectors).values("startup_id")
        )
    if stages := filters.get("stage"):
        queryset = queryset.filter(stage__in=stages)
    if communes := filters.get("commune"):
        queryset = queryset.filter(commune__slug__in=communes)
    if years := filters.get("founded_year"):
        queryset = queryset.filter(founded_on__year__in=[int(y) for y in years])
    if (states := set(filters.get("verification", ()))) and len(states) == 1:
        queryset = queryset.filter(is_stale="stale" in states)
    order = ["-verified_at", "pk"] if query.sort == "newest" else ["name", "pk"]
    if query.text:
        pks = [int(pk) for pk in matching_ids(query) if pk.isdigit()]
        queryset = queryset.filter(pk__in=pks)
        if query.sort == "relevance":
            rank = Case(
                *(When(pk=pk, then=position) for position, pk in enumerate(pks)),
                output_field=IntegerField(),
            )
            order = [rank]
    return with_listing_relations(queryset.order_by(*order))


@require_GET
def export_directory(request):
    file_format = request.GET.get("format", "csv")
    if file_format not in exports.FORMATS:
        return HttpResponseBadRequest(
            _("Unknown export format “%(value)s”; use csv or xlsx.") % {"value": file_format},
            content_type="text/plain; charset=utf-8",
        )
    try:
        query, _problems = parse_directory_query(request.GET, strict=True)
    except ListingQueryError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    staff = permissions.is_department_staff(request.user)
    columns = exports.export_columns(request.user)
    language = translation.get_language() or "vi"
    queryset = exported_startups(query)
    stem = f"startups-{timezone.localdate():%Y-%m-%d}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(queryset, columns, language), content_type=exports.FORMATS["csv"]
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(queryset, columns, language), content_type=exports.FORMATS["xlsx"]
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    patch_vary_headers(response, ["Cookie"])
    if staff:
        # Revenue and contact details: never kept by a shared cache or the browser.
        patch_cache_control(response, private=True, no_store=True)
    return response
