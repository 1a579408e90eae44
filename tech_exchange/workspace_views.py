"""The owners' side of the exchange at /me/technologies/: post offers and requests, edit drafts,
submit them for review, keep published ones renewed, add documents and images, and answer
enquiries within their service deadline; the senders follow their enquiries on the same page.

Views parse input, call a service and say what happened; a refused action shows the service's
message and changes nothing.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, DateTimeField, F, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.exceptions import PortalError
from portal.core.formatting import format_vnd
from portal.core.forms import refusal_text, show_refusal
from portal.core.views import label_actors

from . import image_services, permissions, services, workflow
from .forms import (
    AgreeForm,
    DeclineForm,
    DocumentForm,
    ImageForm,
    ListingForm,
    ReplyForm,
)
from .models import (
    TRL_LABELS,
    Enquiry,
    EnquiryStatus,
    Kind,
    Listing,
    ListingDocument,
    ListingImage,
    ListingStatus,
)

STATUS_EXPLANATIONS = {
    ListingStatus.DRAFT: gettext_lazy(
        "Only you see this listing. Complete it, then submit it: the Department of Science and "
        "Technology checks it before it is published."
    ),
    ListingStatus.UNDER_REVIEW: gettext_lazy(
        "The department is checking the listing. You get a message when it is published or "
        "returned to you with what to change; it cannot be edited meanwhile."
    ),
    ListingStatus.PUBLISHED: gettext_lazy(
        "The listing is on the public technology exchange. Signed-in users can send you "
        "enquiries; answer each one by its deadline."
    ),
    ListingStatus.CLOSED: gettext_lazy(
        "You closed the listing: it is no longer public and takes no new enquiries."
    ),
    ListingStatus.EXPIRED: gettext_lazy(
        "The listing expired 12 months after it was published and is no longer public. Renew it "
        "to publish it again for another year."
    ),
}
STATUS_BADGES = {
    ListingStatus.DRAFT: "neutral",
    ListingStatus.UNDER_REVIEW: "info",
    ListingStatus.PUBLISHED: "ok",
    ListingStatus.CLOSED: "neutral",
    ListingStatus.EXPIRED: "warn",
}
ENQUIRY_BADGES = {
    EnquiryStatus.OPEN: "info",
    EnquiryStatus.NEGOTIATING: "warn",
    EnquiryStatus.DEAL: "ok",
    EnquiryStatus.DECLINED: "neutral",
}
REPLY, DECLINE, AGREE = "reply", "decline", "agree"


def _owned_listing(request, pk: int) -> Listing:
    """The listing, for its owner; anyone else is told it does not exist (staff review it in the
    administration)."""
    listing = get_object_or_404(Listing.objects.select_related("owner"), pk=pk)
    if not permissions.is_owner(request.user, listing):
        raise Http404
    return listing


def _detail(listing: Listing):
    return redirect("technology_workspace:detail", pk=listing.pk)


def _expiry(listing: Listing) -> dict | None:
    if listing.status != ListingStatus.PUBLISHED or not listing.expires_on:
        return None
    days_left = (listing.expires_on - timezone.localdate()).days
    return {
        "on": listing.expires_on,
        "days_left": days_left,
        "soon": days_left <= services.EXPIRY_REMINDER_DAYS,
    }


def _open_first(enquiries):
    """Enquiries still waiting on someone first, the nearest deadline first; then the others,
    the latest first."""
    waiting = Q(status__in=workflow.OPEN_ENQUIRIES)
    return enquiries.annotate(
        waiting_due=Case(When(waiting, then=F("answer_due_at")), output_field=DateTimeField())
    ).order_by(F("waiting_due").asc(nulls_last=True), "-created_at", "-pk")


def _badged(enquiries) -> list:
    enquiries = list(enquiries)
    for enquiry in enquiries:
        enquiry.badge = ENQUIRY_BADGES[enquiry.status]
    return enquiries


# --- my listings and enquiries ---------------------------------------------------------------


@login_required
def my_technologies(request):
    user = request.user
    now = timezone.now()
    listings = list(
        Listing.objects.filter(owner=user)
        .annotate(
            waiting_enquiries=Count(
                "enquiries", filter=Q(enquiries__status__in=workflow.OPEN_ENQUIRIES)
            ),
            overdue_enquiries=Count(
                "enquiries",
                filter=Q(enquiries__status=EnquiryStatus.OPEN, enquiries__answer_due_at__lt=now),
            ),
        )
        .order_by("-updated_at", "-pk")
    )
    for listing in listings:
        listing.badge = STATUS_BADGES[listing.status]
    received = _badged(
        _open_first(Enquiry.objects.filter(listing__owner=user)).select_related("listing", "sender")
    )
    sent = _badged(_open_first(Enquiry.objects.filter(sender=user)).select_related("listing"))
    return render(
        request,
        "tech_exchange/workspace/list.html",
        {
            "listings": listings,
            "received": received,
            "sent": sent,
            "overdue_count": sum(1 for enquiry in received if enquiry.is_overdue),
        },
    )


@login_required
def listing_new(request):
    user = request.user
    kind = request.POST.get("kind") or request.GET.get("kind")
    if request.method == "POST":
        form = ListingForm(request.POST)
        if form.is_valid():
            try:
                listing = services.listing_create(user=user, fields=form.listing_fields())
            except (ValidationError, PortalError) as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "“%(title)s” is saved as a draft. Add documents and images, then submit "
                        "it for review."
                    )
                    % {"title": listing.title},
                )
                return _detail(listing)
    elif kind not in Kind.values:
        return render(request, "tech_exchange/workspace/new.html", {"kinds": Kind})
    else:
        form = ListingForm(initial={"kind": kind})
    return render(request, "tech_exchange/workspace/form.html", {"form": form, "listing": None})


# --- one listing -----------------------------------------------------------------------------


def _steps(listing: Listing) -> list:
    return label_actors(
        listing.steps.select_related("actor"),
        own_ids={listing.owner_id},
        staff_label=_("Department of Science and Technology"),
    )


def _staff_note(listing: Listing, steps: list):
    """What the department asked to change, while the returned listing is a draft again."""
    if listing.status != ListingStatus.DRAFT or not steps:
        return None
    last = steps[-1]
    returned = last.from_status == ListingStatus.UNDER_REVIEW and last.to_status == listing.status
    return last if returned and last.note else None


def _render_detail(request, listing: Listing, *, document_form=None, image_form=None):
    steps = _steps(listing)
    status = listing.status
    # Nothing is added to a listing that is no longer on the exchange.
    active = status not in image_services.FROZEN
    enquiries = _badged(_open_first(listing.enquiries.all()).select_related("sender"))
    return render(
        request,
        "tech_exchange/workspace/detail.html",
        {
            "listing": listing,
            "badge": STATUS_BADGES[status],
            "explanation": STATUS_EXPLANATIONS[status],
            "steps": steps,
            "staff_note": _staff_note(listing, steps),
            "trl_label": TRL_LABELS.get(listing.trl, listing.trl),
            "expiry": _expiry(listing),
            "documents": listing.documents.select_related("file"),
            "images": listing.images.all(),
            "enquiries": enquiries,
            "can_edit": permissions.can_edit_listing(request.user, listing),
            "can_submit": status == ListingStatus.DRAFT,
            "can_close": status == ListingStatus.PUBLISHED,
            "can_renew": status in (ListingStatus.PUBLISHED, ListingStatus.EXPIRED),
            "document_form": document_form or (DocumentForm() if active else None),
            "image_form": image_form or (ImageForm() if active else None),
            "max_images": image_services.MAX_IMAGES,
        },
    )


@login_required
def listing_detail(request, pk: int):
    return _render_detail(request, _owned_listing(request, pk))


@login_required
def listing_edit(request, pk: int):
    listing = _owned_listing(request, pk)
    user = request.user
    if not permissions.can_edit_listing(user, listing):
        messages.error(
            request,
            _("A listing that is “%(status)s” cannot be edited.")
            % {"status": listing.get_status_display()},
        )
        return _detail(listing)
    # Validating a model form writes into its instance: give it a copy, not the page's one.
    editable = Listing.objects.get(pk=listing.pk)
    if request.method == "POST":
        form = ListingForm(request.POST, instance=editable)
        if form.is_valid():
            try:
                listing = services.listing_update(
                    user=user, listing=listing, fields=form.listing_fields()
                )
            except (ValidationError, PortalError) as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Changes saved. Submit the listing when it is ready."))
                return _detail(listing)
    else:
        form = ListingForm(instance=editable)
    return render(request, "tech_exchange/workspace/form.html", {"form": form, "listing": listing})


@login_required
@require_POST
def listing_submit(request, pk: int):
    listing = _owned_listing(request, pk)
    try:
        listing = services.listing_submit(user=request.user, listing=listing)
    except (ValidationError, PortalError) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _(
                "“%(title)s” is submitted for review. The department will tell you when it is "
                "published or what to change."
            )
            % {"title": listing.title},
        )
    return _detail(listing)


@login_required
@require_POST
def listing_close(request, pk: int):
    listing = _owned_listing(request, pk)
    try:
        listing = services.listing_close(
            user=request.user, listing=listing, note=request.POST.get("note", "").strip()
        )
    except (ValidationError, PortalError) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("“%(title)s” is closed: it is no longer public.") % {"title": listing.title},
        )
    return _detail(listing)


@login_required
@require_POST
def listing_renew(request, pk: int):
    listing = _owned_listing(request, pk)
    try:
        listing = services.listing_renew(user=request.user, listing=listing)
    except (ValidationError, PortalError) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("“%(title)s” is published until %(date)s.")
            % {"title": listing.title, "date": listing.expires_on.strftime("%d/%m/%Y")},
        )
    return _detail(listing)


# --- documents and images --------------------------------------------------------------------


@login_required
@require_POST
def document_add(request, pk: int):
    listing = _owned_listing(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_add(
                user=request.user,
                listing=listing,
                upload=data["file"],
                title=data["title"],
                confidential=data["confidential"],
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("%(title)s is added.") % {"title": document.title})
            return _detail(listing)
    return _render_detail(request, listing, document_form=form)


@login_required
@require_POST
def document_remove(request, pk: int, doc_pk: int):
    listing = _owned_listing(request, pk)
    document = get_object_or_404(
        ListingDocument.objects.select_related("listing", "file"), pk=doc_pk, listing=listing
    )
    try:
        services.document_remove(user=request.user, document=document)
    except (ValidationError, PortalError) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("%(title)s is removed.") % {"title": document.title})
    return _detail(listing)


@login_required
@require_POST
def image_add(request, pk: int):
    listing = _owned_listing(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image_services.listing_image_add(
                user=request.user,
                listing=listing,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The image is added."))
            return _detail(listing)
    return _render_detail(request, listing, image_form=form)


@login_required
@require_POST
def image_remove(request, pk: int, image_pk: int):
    listing = _owned_listing(request, pk)
    image = get_object_or_404(
        ListingImage.objects.select_related("listing"), pk=image_pk, listing=listing
    )
    try:
        image_services.listing_image_remove(user=request.user, image=image)
    except (ValidationError, PortalError) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The image is removed."))
    return _detail(listing)


# --- one enquiry, for both parties -----------------------------------------------------------


def _visible_enquiry(request, pk: int) -> Enquiry:
    """The enquiry, for its sender, the listing's owner and staff; anyone else is told it does
    not exist."""
    enquiry = get_object_or_404(
        Enquiry.objects.select_related("listing", "listing__owner", "sender"), pk=pk
    )
    if not permissions.can_view_enquiry(request.user, enquiry):
        raise Http404
    return enquiry


def _conversation(enquiry: Enquiry, steps: list, user) -> list[dict]:
    """The first message, every reply and every change of status, oldest first."""
    listing = enquiry.listing

    def who(author) -> str:
        if author is None:
            return _("A former user")
        if author.pk == user.pk:
            return _("You")
        if author.pk == listing.owner_id:
            return f"{author} ({listing.owner_organisation})"
        return f"{author} ({enquiry.organisation})" if enquiry.organisation else str(author)

    items = [
        {"at": enquiry.created_at, "who": who(enquiry.sender), "body": enquiry.message},
        *(
            {"at": message.created_at, "who": who(message.author), "body": message.body}
            for message in enquiry.messages.select_related("author")
        ),
        *({"at": step.created_at, "step": step} for step in steps if step.from_status),
    ]
    return sorted(items, key=lambda item: item["at"])


def _render_enquiry(request, enquiry: Enquiry, *, forms: dict | None = None):
    user = request.user
    is_owner = permissions.is_owner(user, enquiry.listing)
    is_party = permissions.is_party(user, enquiry)
    status = enquiry.status
    # The owner's next steps from here, as the workflow declares them.
    next_steps = {to for (frm, to) in workflow.ENQUIRY_STEPS if frm == status}
    steps = list(enquiry.steps.all())
    declined = next((step for step in steps if step.to_status == EnquiryStatus.DECLINED), None)
    forms = forms or {}
    if is_party and status in workflow.OPEN_ENQUIRIES:
        forms.setdefault(REPLY, ReplyForm())
    if is_owner and EnquiryStatus.DECLINED in next_steps:
        forms.setdefault(DECLINE, DeclineForm())
    if is_owner and EnquiryStatus.DEAL in next_steps:
        forms.setdefault(AGREE, AgreeForm())
    enquiry.badge = ENQUIRY_BADGES[status]
    context = {
        "enquiry": enquiry,
        "listing": enquiry.listing,
        "is_owner": is_owner,
        "is_sender": enquiry.sender_id == user.pk,
        "conversation": _conversation(enquiry, steps, user),
        "decline_note": declined.note if declined else "",
        "reply_form": forms.get(REPLY),
        "decline_form": forms.get(DECLINE),
        "agree_form": forms.get(AGREE),
        "deal": getattr(enquiry, "deal", None) if status == EnquiryStatus.DEAL else None,
        "answer_days": services.ENQUIRY_ANSWER_DAYS,
        "due_soon": status == EnquiryStatus.OPEN
        and not enquiry.is_overdue
        and enquiry.answer_due_at - timezone.now() < timedelta(days=1),
    }
    return render(request, "tech_exchange/workspace/enquiry.html", context)


@login_required
def enquiry_detail(request, pk: int):
    enquiry = _visible_enquiry(request, pk)
    if request.method != "POST":
        return _render_enquiry(request, enquiry)
    user = request.user
    action = request.POST.get("action")
    form_class = {REPLY: ReplyForm, DECLINE: DeclineForm, AGREE: AgreeForm}.get(action)
    if form_class is None:
        messages.error(request, _("Choose what to do: reply, decline or record the deal."))
        return redirect("technology_workspace:enquiry", pk=enquiry.pk)
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == REPLY:
                services.enquiry_reply(user=user, enquiry=enquiry, body=data["body"])
                text = _("Your message is sent.")
            elif action == DECLINE:
                services.enquiry_decline(
                    user=user, enquiry=enquiry, reason=data["reason"], note=data["note"]
                )
                text = _("The enquiry is declined; the sender is told why.")
            else:
                deal = services.enquiry_agree(
                    user=user, enquiry=enquiry, amount_vnd=data["amount_vnd"]
                )
                text = _("The deal is recorded at %(amount)s; the sender can now pay it.") % {
                    "amount": format_vnd(deal.amount_vnd)
                }
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, text)
            return redirect("technology_workspace:enquiry", pk=enquiry.pk)
    return _render_enquiry(request, enquiry, forms={action: form})
