"""The public sandbox register: the searchable list with its "check a firm" box, each entry's
page with its dated history and the concern form, and the machine-readable JSON and CSV forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.core.exceptions import PortalError
from search.selectors import ListingQueryError, listing_context, listing_ids, search_listing

from . import services
from .models import EntryStatus
from .public_forms import ConcernForm
from .register_data import (
    CSV_CONTENT_TYPE,
    entry_csv,
    entry_data,
    entry_detail_data,
    json_ready,
    public_entries_by_ids,
    register_csv,
)
from .register_query import (
    EXPORT_CAP,
    FIRM_MAX_RESULTS,
    SORT_LABELS,
    parse_firm,
    parse_register_query,
)
from .selectors import entries_by_ids, entries_of_firm, register_entries, with_history

# Statuses that end or interrupt a test: the entry page says so in a banner above everything.
BANNER_STATUSES = frozenset(
    {EntryStatus.SUSPENDED, EntryStatus.REVOKED, EntryStatus.EXITED, EntryStatus.GRADUATED}
)
ENDED_STATUSES = frozenset({EntryStatus.EXITED, EntryStatus.GRADUATED, EntryStatus.REVOKED})


def _export_urls(query) -> dict[str, str]:
    params = query.params(page=False).urlencode()
    suffix = f"?{params}" if params else ""
    return {
        "json": reverse("sandbox:export_json") + suffix,
        "csv": reverse("sandbox:export_csv") + suffix,
    }


def _firm_check(request) -> dict | None:
    """The "check a firm" box's answer, when it was asked."""
    if "firm" not in request.GET:
        return None
    text, problem = parse_firm(request.GET.get("firm"))
    if problem:
        return {"text": text, "problem": problem, "entries": [], "more": False}
    found = list(
        entries_of_firm(text).order_by("participant", "-decision_date")[: FIRM_MAX_RESULTS + 1]
    )
    return {
        "text": text,
        "problem": "",
        "entries": found[:FIRM_MAX_RESULTS],
        "more": len(found) > FIRM_MAX_RESULTS,
    }


@require_GET
def register(request):
    query, problems = parse_register_query(request.GET)
    results, page_problem = search_listing(query)
    if page_problem:
        problems.append(page_problem)
    context = {
        **listing_context(
            query,
            results,
            clear_all_url=reverse("sandbox:register"),
            sort_labels=SORT_LABELS,
            newest_first=("year",),
        ),
        "problems": problems,
        "entries": entries_by_ids([hit.id for hit in results.hits]),
        "export_urls": _export_urls(query),
        "firm_check": _firm_check(request),
        "today": timezone.localdate(),
    }
    return render(request, "sandbox/register.html", context)


def _public_entry(slug: str):
    entry = with_history(register_entries().select_related("startup")).filter(slug=slug).first()
    if entry is None:
        raise Http404
    return entry


def _meta_description(entry) -> str:
    text = _("%(participant)s: %(title)s. Sandbox decision %(number)s, status: %(status)s.") % {
        "participant": entry.participant,
        "title": entry.title,
        "number": entry.decision_number,
        "status": entry.get_status_display(),
    }
    return Truncator(text).chars(200)


def _render_entry(request, entry, form: ConcernForm, status: int = 200):
    history = list(entry.amendments.all())
    # The history item that put the entry in its current state, for the banner.
    since = next((item for item in reversed(history) if item.to_status == entry.status), None)
    startup = entry.startup
    context = {
        "entry": entry,
        "history": history,
        "status_since": since,
        "show_banner": entry.status in BANNER_STATUSES,
        "has_ended": entry.status in ENDED_STATUSES,
        "startup_url": startup.get_absolute_url() if startup and startup.is_listed else "",
        "form": form,
        "json_url": reverse("sandbox:entry_json", kwargs={"slug": entry.slug}),
        "csv_url": reverse("sandbox:entry_csv", kwargs={"slug": entry.slug}),
        "concern_url": reverse("sandbox:concern", kwargs={"slug": entry.slug}),
        "meta_description": _meta_description(entry),
        "canonical_url": request.build_absolute_uri(entry.get_absolute_url()),
        "today": timezone.localdate(),
    }
    return render(request, "sandbox/entry.html", context, status=status)


@require_GET
def entry(request, slug):
    return _render_entry(request, _public_entry(slug), ConcernForm())


@require_POST
def concern(request, slug):
    entry = _public_entry(slug)
    form = ConcernForm(request.POST)
    received = _(
        "Thank you: your report was received. We have acknowledged it by email, and staff of "
        "the supervising department will look into it."
    )
    after = entry.get_absolute_url() + "#concern"
    if form.is_spam:
        # Answered like a success so a script learns nothing; nothing is kept.
        messages.success(request, received)
        return redirect(after)
    status = 200
    if form.is_valid():
        try:
            services.concern_report(
                entry=entry,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
                client=request.META.get("REMOTE_ADDR", ""),
            )
        except ValidationError as error:
            for field_name, errors in error.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, errors)
        except PortalError as error:
            form.add_error(None, str(error.message))
            status = error.status_code
        else:
            messages.success(request, received)
            return redirect(after)
    form.refresh_token()
    return _render_entry(request, entry, form, status=status)


# --- machine-readable forms --------------------------------------------------------------------


def _json_response(data, filename: str) -> JsonResponse:
    response = JsonResponse(
        json_ready(data), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def entry_json(request, slug):
    entry = _public_entry(slug)
    return _json_response(
        entry_detail_data(entry, request.build_absolute_uri), f"sandbox-{entry.slug}.json"
    )


@require_GET
def entry_csv_view(request, slug):
    entry = _public_entry(slug)
    return _csv_response(entry_csv(entry, request.build_absolute_uri), f"sandbox-{entry.slug}.csv")


def _exported(request):
    """Every entry matching the page's filters, in the page's order (not one page of them)."""
    query, _problems = parse_register_query(request.GET, strict=True)
    return public_entries_by_ids(listing_ids(query, cap=EXPORT_CAP))


def _bad_request(error) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@require_GET
def export_json(request):
    try:
        entries = _exported(request)
    except ListingQueryError as error:
        return _bad_request(error)
    data = {
        "count": len(entries),
        "results": [entry_data(entry, request.build_absolute_uri) for entry in entries],
    }
    return _json_response(data, f"sandbox-register-{timezone.localdate():%Y-%m-%d}.json")


@require_GET
def export_csv(request):
    try:
        entries = _exported(request)
    except ListingQueryError as error:
        return _bad_request(error)
    return _csv_response(
        register_csv(entries, request.build_absolute_uri),
        f"sandbox-register-{timezone.localdate():%Y-%m-%d}.csv",
    )
