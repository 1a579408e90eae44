"""The public technology exchange: the searchable list with its featured block, each listing's
page (its facts, documents with the confidential ones behind the NDA, the enquiry form and
similar listings), the click-through NDA, document downloads and enquiries.

Views parse input, call a service or selector and say what happened; a refused action shows the
service's message and changes nothing."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.exceptions import PortalError
from portal.core.forms import refusal_text, show_refusal
from portal.files.views import private_file_response
from search.selectors import listing_context, search_listing

from . import permissions, services
from .exchange_query import SORT_LABELS, parse_exchange_query
from .forms import EnquiryForm
from .models import TRL_LABELS, ListingDocument, NdaAcceptance
from .selectors import featured_listings, listing_for_page, listings_by_ids, similar_listings


def _trl_levels_in_order(facet_groups: list[dict]) -> None:
    """Readiness levels read best as a scale, 1 to 9, rather than by count."""
    for group in facet_groups:
        if group["field"] == "trl":
            group["options"].sort(key=lambda option: int(option["value"]))


@require_GET
def exchange(request):
    query, problems = parse_exchange_query(request.GET)
    results, page_problem = search_listing(query)
    if page_problem:
        problems.append(page_problem)
    context = listing_context(
        query,
        results,
        clear_all_url=reverse("tech_exchange:exchange"),
        sort_labels=SORT_LABELS,
    )
    _trl_levels_in_order(context["facet_groups"])
    browsing = results.request.page == 1 and not query.is_filtered
    context |= {
        "problems": problems,
        "listings": listings_by_ids(hit.id for hit in results.hits),
        # Paid featuring buys a place at the top of the exchange's first page, not of searches.
        "featured": featured_listings() if browsing else [],
        "post_url": reverse("technology_workspace:new"),
    }
    return render(request, "tech_exchange/exchange.html", context)


def _visible_listing(request, slug: str):
    """The listing, for everyone while it is published and for its owner and staff always;
    anyone else is told it does not exist."""
    listing = listing_for_page(slug)
    if listing is None or not permissions.can_view_listing(request.user, listing):
        raise Http404
    return listing


def _meta_description(listing) -> str:
    return Truncator(" ".join(listing.summary.split())).chars(200)


def _render_listing(request, listing, enquiry_form: EnquiryForm | None = None, status=200):
    user = request.user
    is_owner = permissions.is_owner(user, listing)
    documents = list(listing.documents.all())
    for document in documents:
        document.unlocked = permissions.can_download_document(user, document)
    can_enquire = permissions.can_enquire(user, listing)
    if enquiry_form is None and can_enquire:
        enquiry_form = EnquiryForm()
    path = listing.get_absolute_url()
    context = {
        "listing": listing,
        "trl_label": TRL_LABELS[listing.trl],
        "images": list(listing.images.all()),
        "public_documents": [d for d in documents if not d.confidential],
        "confidential_documents": [d for d in documents if d.confidential],
        "is_owner": is_owner,
        "workspace_url": (
            reverse("technology_workspace:detail", kwargs={"pk": listing.pk}) if is_owner else ""
        ),
        "enquiry_form": enquiry_form,
        "answer_days": services.ENQUIRY_ANSWER_DAYS,
        "login_url": f"{reverse('account_login')}?next={path}",
        "nda_url": reverse("tech_exchange:nda", kwargs={"slug": listing.slug}),
        "similar": similar_listings(listing) if listing.is_public else [],
        "meta_description": _meta_description(listing),
        "canonical_url": request.build_absolute_uri(path),
    }
    response = render(request, "tech_exchange/listing.html", context, status=status)
    if not listing.is_public or user.is_authenticated:
        # A listing not yet public, or a page with the reader's own NDA and forms: never kept
        # by a shared cache.
        patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def listing(request, slug):
    return _render_listing(request, _visible_listing(request, slug))


@require_POST
def enquire(request, slug):
    listing = _visible_listing(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(listing.get_absolute_url())
    form = EnquiryForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            enquiry = services.enquiry_send(
                user=request.user,
                listing=listing,
                message=form.cleaned_data["message"],
                organisation=form.cleaned_data["organisation"],
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            status = getattr(error, "status_code", 400)
        else:
            messages.success(
                request,
                _(
                    "Your enquiry was sent to %(organisation)s. They are asked to answer by "
                    "%(due)s; you get a message when they do."
                )
                % {
                    "organisation": listing.owner_organisation,
                    "due": timezone.localtime(enquiry.answer_due_at).strftime("%d/%m/%Y"),
                },
            )
            return redirect("technology_workspace:enquiry", pk=enquiry.pk)
    return _render_listing(request, listing, enquiry_form=form, status=status)


@require_http_methods(["GET", "POST"])
def nda(request, slug):
    """The click-through confidentiality agreement that opens a listing's confidential
    documents: shown to anyone, accepted by a signed-in reader, recorded once."""
    listing = _visible_listing(request, slug)
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.nda_accept(
                user=user, listing=listing, ip_address=request.META.get("REMOTE_ADDR") or None
            )
        except (ValidationError, PortalError) as error:
            messages.error(request, refusal_text(error))
            return redirect(listing)
        messages.success(
            request,
            _(
                "You accepted the confidentiality agreement: the confidential documents of this "
                "listing are open to you."
            ),
        )
        return redirect(f"{listing.get_absolute_url()}#documents")
    acceptance = (
        NdaAcceptance.objects.filter(listing=listing, user=user).first()
        if user.is_authenticated
        else None
    )
    context = {
        "listing": listing,
        "acceptance": acceptance,
        "is_owner": permissions.is_owner(user, listing),
        "nda_version": services.NDA_VERSION,
        "login_url": f"{reverse('account_login')}?next={request.path}",
    }
    response = render(request, "tech_exchange/nda.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def document(request, slug, pk):
    """A listing's document: public ones to anyone while the listing is published, confidential
    ones to its owner, staff and those who accepted the NDA."""
    listing = _visible_listing(request, slug)
    document = get_object_or_404(
        ListingDocument.objects.select_related("file"), pk=pk, listing=listing
    )
    document.listing = listing
    if not permissions.can_download_document(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return private_file_response(document.file)
