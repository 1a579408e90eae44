"""The public startup directory and profile pages."""

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from search.selectors import listing_context, search_listing

from . import permissions
from .directory import SORT_LABELS, parse_directory_query
from .models import Origin
from .selectors import listed_startups_by_ids, startup_for_profile


def directory(request):
    query, problems = parse_directory_query(request.GET)
    results, page_problem = search_listing(query)
    if page_problem:
        problems.append(page_problem)
    startups = listed_startups_by_ids(hit.id for hit in results.hits)
    export = reverse("startups:export")
    export_urls = {}
    for fmt in ("csv", "xlsx"):
        export_params = QueryDict(mutable=True)
        export_params["format"] = fmt
        export_params.update(query.params(page=False))
        export_urls[fmt] = f"{export}?{export_params.urlencode()}"
    context = {
        **listing_context(
            query,
            results,
            clear_all_url=reverse("startups:directory"),
            sort_labels=SORT_LABELS,
            newest_first=("founded_year",),
        ),
        "problems": problems,
        "startups": startups,
        "export_urls": export_urls,
        "register_url": reverse("startup_workspace:list"),
    }
    return render(request, "startups/directory.html", context)


def _meta_description(startup) -> str:
    text = startup.pitch or startup.description
    if not text:
        text = _("%(name)s, a startup registered in %(commune)s, Hanoi.") % {
            "name": startup.name,
            "commune": startup.commune.full_name,
        }
    return Truncator(" ".join(text.split())).chars(200)


def profile(request, slug):
    startup = startup_for_profile(slug)
    # Unlisted profiles do not exist for anyone who may not see them: no hint they are there.
    if startup is None or not permissions.can_view_startup(request.user, startup):
        raise Http404
    is_member = permissions.is_member(request.user, startup)
    is_staff = permissions.is_department_staff(request.user)
    show_private = permissions.can_view_private_fields(request.user, startup)
    workspace = reverse("startup_workspace:list")
    claimable = (
        startup.is_listed
        and startup.origin == Origin.IMPORTED
        and not startup.has_members
        and not is_staff
    )
    context = {
        "startup": startup,
        "show_private": show_private,
        "documents": list(startup.documents.order_by("original_name")) if show_private else [],
        "is_member": is_member,
        "is_department_staff": is_staff,
        "edit_url": f"{workspace}{startup.pk}/" if is_member else "",
        "claim_url": f"{workspace}claim/{startup.slug}/" if claimable else "",
        "meta_description": _meta_description(startup),
        "canonical_url": request.build_absolute_uri(startup.get_absolute_url()),
        "logo_url": request.build_absolute_uri(startup.logo.url) if startup.logo else "",
    }
    response = render(request, "startups/profile.html", context)
    if show_private or not startup.is_listed:
        # Private fields or an unpublished profile: never kept by a shared cache.
        patch_cache_control(response, private=True, no_cache=True)
    return response
