"""Every write to the exchange's listings and enquiries: the listing lifecycle with staff review
and yearly expiry, documents, the NDA, enquiries with their answer deadline, and the deals they
end in. Payments live in `payments.py`."""

from collections.abc import Mapping
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.exceptions import PortalError
from portal.core.formatting import format_vnd
from portal.core.text import unique_slug
from portal.files.kinds import DOCUMENTS
from portal.files.services import private_file_create, private_file_delete
from portal.notifications.services import notify_each, role_holders

from . import permissions, tasks, workflow
from .models import (
    LISTING_LIFETIME,
    Deal,
    DealSource,
    DeclineReason,
    Enquiry,
    EnquiryMessage,
    EnquiryStatus,
    EnquiryStep,
    Listing,
    ListingDocument,
    ListingStatus,
    ListingStep,
    NdaAcceptance,
)

LISTING_FIELDS = (
    "kind",
    "owner_organisation",
    "owner_type",
    "title",
    "summary",
    "description",
    "sector",
    "trl",
    "ip_status",
    "ip_number",
    "ip_jurisdiction",
    "ip_filed_on",
    "ip_expires_on",
    "licensing_model",
    "price_type",
    "price_vnd",
)
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# The owner must answer an enquiry within this time (shown to both sides).
ENQUIRY_ANSWER_DAYS = 5
EXPIRY_REMINDER_DAYS = 30
# The NDA's text is templates/tech_exchange/nda.html; bump this when it changes.
NDA_VERSION = "2026-11"


def _forbidden(message: str) -> PortalError:
    return PortalError(message, code="forbidden", status_code=403)


def _invalid_step(labels, current: str, target: str) -> PortalError:
    return PortalError(
        _("This is not possible while the status is “%(current)s” (wanted: “%(target)s”).")
        % {"current": labels(current).label, "target": labels(target).label},
        code="invalid_transition",
        status_code=409,
    )


# --- listings ----------------------------------------------------------------------------------


def _apply(listing: Listing, fields: Mapping) -> None:
    unknown = set(fields) - set(LISTING_FIELDS)
    if unknown:
        raise ValueError(f"not listing fields: {sorted(unknown)}")
    for name, value in fields.items():
        if value is None and name in ("ip_number", "ip_jurisdiction"):
            value = ""
        setattr(listing, name, value)
    if listing.trl in (None, ""):
        raise ValidationError({"trl": _("Give the technology readiness level (TRL 1-9).")})
    listing.full_clean(exclude=["slug"])


@transaction.atomic
def listing_create(*, user: User, fields: Mapping) -> Listing:
    if not user.is_authenticated:
        raise _forbidden(_("Sign in to post a technology listing."))
    listing = Listing(owner=user, status=ListingStatus.DRAFT)
    _apply(listing, fields)
    listing.slug = unique_slug(listing.title, taken=Listing.objects, fallback="cong-nghe")
    listing.save()
    ListingStep.objects.create(listing=listing, to_status=listing.status, actor=user)
    audit_log(listing, "wagtail.create", user=user)
    return listing


def _locked(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().get(pk=listing.pk)


@transaction.atomic
def listing_update(*, user: User, listing: Listing, fields: Mapping) -> Listing:
    listing = _locked(listing)
    if not permissions.can_edit_listing(user, listing):
        raise _forbidden(_("Only a draft listing can be edited, by its owner."))
    _apply(listing, fields)
    listing.save()
    audit_log(listing, "wagtail.edit", user=user)
    return listing


def _step(listing: Listing, to_status: str, *, user: User | None, note: str = "") -> None:
    who = workflow.LISTING_STEPS.get((listing.status, to_status))
    if who is None:
        raise _invalid_step(ListingStatus, listing.status, to_status)
    allowed = {
        workflow.OWNER: user is not None and permissions.is_owner(user, listing),
        workflow.STAFF: user is not None and permissions.can_review_listings(user),
        workflow.SYSTEM: user is None,
    }[who]
    if not allowed:
        raise _forbidden(_("You are not allowed to do this to this listing."))
    ListingStep.objects.create(
        listing=listing, from_status=listing.status, to_status=to_status, actor=user, note=note
    )
    listing.status = to_status


@transaction.atomic
def listing_submit(*, user: User, listing: Listing) -> Listing:
    listing = _locked(listing)
    listing.full_clean()
    _step(listing, ListingStatus.UNDER_REVIEW, user=user)
    listing.save(update_fields=["status", "updated_at"])
    audit_log(listing, "tech_exchange.submit", user=user)
    notify_each(
        role_holders(Role.DEPARTMENT_STAFF),
        lambda: _("Technology listing to review: %(title)s") % {"title": listing.title},
        lambda: (
            _("%(organisation)s submitted “%(title)s” for review.")
            % {"organisation": listing.owner_organisation, "title": listing.title}
        ),
        url="/admin/technologies/listings/",
    )
    return listing


def _publish_for_a_year(listing: Listing) -> None:
    listing.published_at = timezone.now()
    listing.expires_on = timezone.localdate() + LISTING_LIFETIME
    listing.expiry_reminder_sent_on = None


@transaction.atomic
def listing_publish(*, user: User, listing: Listing, note: str = "") -> Listing:
    """Staff approve a listing under review: it is public for 12 months."""
    listing = _locked(listing)
    _step(listing, ListingStatus.PUBLISHED, user=user, note=note)
    _publish_for_a_year(listing)
    listing.save(
        update_fields=[
            "status",
            "published_at",
            "expires_on",
            "expiry_reminder_sent_on",
            "updated_at",
        ]
    )
    audit_log(listing, "tech_exchange.publish", user=user)
    _notify_owner(
        listing,
        lambda: _("Your listing is published: %(title)s") % {"title": listing.title},
        lambda: (
            _("“%(title)s” is on the technology exchange until %(expires)s.")
            % {"title": listing.title, "expires": listing.expires_on.strftime("%d/%m/%Y")}
        ),
    )
    # Matching searches the index: only once the publication (and its indexing) is committed.
    transaction.on_commit(lambda: tasks.match_published_listing.enqueue(listing.pk))
    return listing


@transaction.atomic
def listing_return(*, user: User, listing: Listing, note: str) -> Listing:
    """Staff send a listing back to its owner to change."""
    if not note.strip():
        raise ValidationError({"note": _("Tell the owner what to change.")})
    listing = _locked(listing)
    _step(listing, ListingStatus.DRAFT, user=user, note=note.strip())
    listing.save(update_fields=["status", "updated_at"])
    audit_log(listing, "tech_exchange.return", user=user, data={"note": note.strip()})
    _notify_owner(
        listing,
        lambda: _("Changes needed before publishing: %(title)s") % {"title": listing.title},
        lambda: note.strip(),
    )
    return listing


@transaction.atomic
def listing_close(*, user: User, listing: Listing, note: str = "") -> Listing:
    listing = _locked(listing)
    _step(listing, ListingStatus.CLOSED, user=user, note=note)
    listing.save(update_fields=["status", "updated_at"])
    audit_log(listing, "tech_exchange.close", user=user, data={"note": note} if note else None)
    return listing


@transaction.atomic
def listing_renew(*, user: User, listing: Listing) -> Listing:
    """Another 12 months from today, for a published listing or an expired one."""
    listing = _locked(listing)
    if not permissions.is_owner(user, listing):
        raise _forbidden(_("Only the listing's owner can renew it."))
    if listing.status == ListingStatus.EXPIRED:
        _step(listing, ListingStatus.PUBLISHED, user=user, note=_("Renewed"))
    elif listing.status != ListingStatus.PUBLISHED:
        raise _invalid_step(ListingStatus, listing.status, ListingStatus.PUBLISHED)
    listing.expires_on = timezone.localdate() + LISTING_LIFETIME
    listing.expiry_reminder_sent_on = None
    listing.save(update_fields=["status", "expires_on", "expiry_reminder_sent_on", "updated_at"])
    audit_log(
        listing, "tech_exchange.renew", user=user, data={"until": listing.expires_on.isoformat()}
    )
    return listing


def listings_expire(*, today: date | None = None) -> tuple[int, int]:
    """The daily job: expires published listings past their date and reminds owners
    `EXPIRY_REMINDER_DAYS` before. Returns (expired, reminded)."""
    today = today or timezone.localdate()
    expired = reminded = 0
    for listing in Listing.objects.filter(status=ListingStatus.PUBLISHED, expires_on__lt=today):
        with transaction.atomic():
            locked = _locked(listing)
            if locked.status != ListingStatus.PUBLISHED:
                continue
            _step(locked, ListingStatus.EXPIRED, user=None)
            locked.save(update_fields=["status", "updated_at"])
            audit_log(locked, "tech_exchange.expire")
            _notify_owner(
                locked,
                lambda listing=locked: (
                    _("Your listing expired: %(title)s") % {"title": listing.title}
                ),
                lambda: _(
                    "It is no longer public. Renew it from your workspace to publish it again."
                ),
            )
            expired += 1
    due = Listing.objects.filter(
        status=ListingStatus.PUBLISHED,
        expires_on__lte=today + timedelta(days=EXPIRY_REMINDER_DAYS),
        expiry_reminder_sent_on__isnull=True,
    )
    for listing in due:
        with transaction.atomic():
            _notify_owner(
                listing,
                lambda listing=listing: (
                    _("Your listing expires on %(date)s: %(title)s")
                    % {"date": listing.expires_on.strftime("%d/%m/%Y"), "title": listing.title}
                ),
                lambda: _(
                    "Renew it from your workspace to keep it on the exchange for another year."
                ),
            )
            Listing.objects.filter(pk=listing.pk).update(expiry_reminder_sent_on=today)
            reminded += 1
    return expired, reminded


@transaction.atomic
def document_add(
    *, user: User, listing: Listing, upload: UploadedFile, title: str, confidential: bool
) -> ListingDocument:
    listing = _locked(listing)
    if not permissions.is_owner(user, listing) or listing.status in (
        ListingStatus.CLOSED,
        ListingStatus.EXPIRED,
    ):
        raise _forbidden(_("Only the owner of an active listing can add documents."))
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    private_file = private_file_create(
        owner=user,
        upload=upload,
        allowed=DOCUMENTS,
        max_bytes=DOCUMENT_MAX_BYTES,
        attach_to=listing,
    )
    document = ListingDocument.objects.create(
        listing=listing, title=title.strip(), confidential=confidential, file=private_file
    )
    audit_log(listing, "tech_exchange.document_added", user=user, data={"title": document.title})
    return document


@transaction.atomic
def document_remove(*, user: User, document: ListingDocument) -> None:
    listing = document.listing
    if not permissions.is_owner(user, listing):
        raise _forbidden(_("Only the listing's owner can remove its documents."))
    private_file_delete(document.file, link=document)
    audit_log(listing, "tech_exchange.document_removed", user=user, data={"title": document.title})


@transaction.atomic
def nda_accept(*, user: User, listing: Listing, ip_address: str | None = None) -> NdaAcceptance:
    """The click-through NDA: recorded once per account and listing, with time and address."""
    if not user.is_authenticated or not listing.is_public:
        raise _forbidden(
            _("Sign in to accept the confidentiality agreement of a published listing.")
        )
    if permissions.is_owner(user, listing):
        raise PortalError(_("You own this listing."), code="own_listing")
    acceptance, created = NdaAcceptance.objects.get_or_create(
        listing=listing, user=user, defaults={"nda_version": NDA_VERSION, "ip_address": ip_address}
    )
    if created:
        audit_log(listing, "tech_exchange.nda", user=user, data={"version": NDA_VERSION})
    return acceptance


# --- enquiries ---------------------------------------------------------------------------------


@transaction.atomic
def enquiry_send(*, user: User, listing: Listing, message: str, organisation: str = "") -> Enquiry:
    if not permissions.can_enquire(user, listing):
        if permissions.is_owner(user, listing):
            raise PortalError(_("You cannot enquire about your own listing."), code="own_listing")
        raise _forbidden(_("Enquiries can be sent only about published listings, when signed in."))
    message = message.strip()
    if not message:
        raise ValidationError({"message": _("Say what interests you and what you need.")})
    if Enquiry.objects.filter(
        listing=listing, sender=user, status__in=workflow.OPEN_ENQUIRIES
    ).exists():
        raise PortalError(
            _("You already have an open enquiry about this listing; continue it instead."),
            code="duplicate_enquiry",
            status_code=409,
        )
    now = timezone.now()
    enquiry = Enquiry(
        listing=listing,
        sender=user,
        organisation=organisation.strip(),
        message=message,
        answer_due_at=now + timedelta(days=ENQUIRY_ANSWER_DAYS),
        created_at=now,
    )
    enquiry.full_clean()
    enquiry.save()
    EnquiryStep.objects.create(enquiry=enquiry, to_status=enquiry.status, actor=user)
    audit_log(listing, "tech_exchange.enquiry", user=user, data={"enquiry": enquiry.pk})
    notify_each(
        [listing.owner],
        lambda: _("New enquiry about %(title)s") % {"title": listing.title},
        lambda: (
            _("%(sender)s is interested:\n\n%(message)s\n\nPlease answer by %(due)s.")
            % {
                "sender": enquiry.organisation or user,
                "message": message,
                "due": timezone.localtime(enquiry.answer_due_at).strftime("%d/%m/%Y %H:%M"),
            }
        ),
        url=enquiry_path(enquiry),
    )
    return enquiry


def _locked_enquiry(enquiry: Enquiry) -> Enquiry:
    return (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("listing", "listing__owner", "sender")
        .get(pk=enquiry.pk)
    )


def _enquiry_step(enquiry: Enquiry, to_status: str, *, user: User, note: str = "") -> None:
    if workflow.ENQUIRY_STEPS.get((enquiry.status, to_status)) is None:
        raise _invalid_step(EnquiryStatus, enquiry.status, to_status)
    if not permissions.is_owner(user, enquiry.listing):
        raise _forbidden(_("Only the listing's owner can do this."))
    EnquiryStep.objects.create(
        enquiry=enquiry, from_status=enquiry.status, to_status=to_status, actor=user, note=note
    )
    enquiry.status = to_status


@transaction.atomic
def enquiry_reply(*, user: User, enquiry: Enquiry, body: str) -> EnquiryMessage:
    """A message in the enquiry's conversation. The owner's first answer starts the
    negotiation."""
    enquiry = _locked_enquiry(enquiry)
    if not permissions.is_party(user, enquiry):
        raise _forbidden(_("This enquiry is between its sender and the listing's owner."))
    if enquiry.status not in workflow.OPEN_ENQUIRIES:
        raise PortalError(_("This enquiry is closed."), code="enquiry_closed", status_code=409)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    message = EnquiryMessage.objects.create(enquiry=enquiry, author=user, body=body)
    if enquiry.status == EnquiryStatus.OPEN and permissions.is_owner(user, enquiry.listing):
        _enquiry_step(enquiry, EnquiryStatus.NEGOTIATING, user=user)
        enquiry.answered_at = message.created_at
        enquiry.save(update_fields=["status", "answered_at", "updated_at"])
    other = enquiry.sender if user.pk == enquiry.listing.owner_id else enquiry.listing.owner
    notify_each(
        [other],
        lambda: _("New message about %(title)s") % {"title": enquiry.listing.title},
        lambda: body,
        url=enquiry_path(enquiry),
    )
    return message


@transaction.atomic
def enquiry_decline(*, user: User, enquiry: Enquiry, reason: str, note: str = "") -> Enquiry:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    note = note.strip()
    if reason == DeclineReason.OTHER and not note:
        raise ValidationError({"note": _("Explain the reason.")})
    enquiry = _locked_enquiry(enquiry)
    _enquiry_step(enquiry, EnquiryStatus.DECLINED, user=user, note=note)
    enquiry.decline_reason = reason
    enquiry.closed_at = timezone.now()
    enquiry.answered_at = enquiry.answered_at or enquiry.closed_at
    enquiry.save(
        update_fields=["status", "decline_reason", "closed_at", "answered_at", "updated_at"]
    )
    audit_log(
        enquiry.listing,
        "tech_exchange.decline",
        user=user,
        data={"enquiry": enquiry.pk, "reason": reason, "note": note},
    )
    notify_each(
        [enquiry.sender],
        lambda: _("Enquiry declined: %(title)s") % {"title": enquiry.listing.title},
        lambda: (
            _("Reason: %(reason)s. %(note)s")
            % {"reason": DeclineReason(reason).label, "note": note}
        ),
        url=enquiry_path(enquiry),
    )
    return enquiry


@transaction.atomic
def enquiry_agree(*, user: User, enquiry: Enquiry, amount_vnd: int) -> Deal:
    """The owner records the deal and its agreed amount; the buyer can then pay it through a
    payment link."""
    if not amount_vnd or amount_vnd < 1:
        raise ValidationError({"amount_vnd": _("Give the agreed amount in VND.")})
    enquiry = _locked_enquiry(enquiry)
    _enquiry_step(enquiry, EnquiryStatus.DEAL, user=user)
    enquiry.agreed_amount_vnd = amount_vnd
    enquiry.closed_at = timezone.now()
    enquiry.save(update_fields=["status", "agreed_amount_vnd", "closed_at", "updated_at"])
    deal = deal_record(
        listing=enquiry.listing,
        buyer=enquiry.sender,
        source=DealSource.NEGOTIATED,
        amount_vnd=amount_vnd,
        enquiry=enquiry,
    )
    audit_log(
        enquiry.listing,
        "tech_exchange.deal",
        user=user,
        data={"enquiry": enquiry.pk, "amount_vnd": amount_vnd},
    )
    notify_each(
        [enquiry.sender],
        lambda: _("Deal agreed: %(title)s") % {"title": enquiry.listing.title},
        lambda: (
            _("The owner recorded the deal at %(amount)s. You can pay it from the enquiry page.")
            % {"amount": format_vnd(amount_vnd)}
        ),
        url=enquiry_path(enquiry),
    )
    return deal


def deal_record(
    *, listing: Listing, buyer: User, source: str, amount_vnd: int, enquiry: Enquiry | None = None
) -> Deal:
    """A concluded transaction, with the listing's sector and TRL as they were."""
    return Deal.objects.create(
        listing=listing,
        buyer=buyer,
        source=source,
        enquiry=enquiry,
        amount_vnd=amount_vnd,
        sector=listing.sector,
        trl=listing.trl,
        licensing_model=listing.licensing_model,
    )


def enquiries_flag_overdue(*, now=None) -> int:
    """Flags unanswered enquiries past their deadline to the owner and to staff, once each."""
    now = now or timezone.now()
    overdue = Enquiry.objects.filter(
        status=EnquiryStatus.OPEN, answer_due_at__lt=now, overdue_flagged_at__isnull=True
    ).select_related("listing", "listing__owner", "sender")
    flagged = 0
    for enquiry in overdue:
        with transaction.atomic():
            Enquiry.objects.filter(pk=enquiry.pk).update(overdue_flagged_at=now)
            notify_each(
                [enquiry.listing.owner],
                lambda enquiry=enquiry: (
                    _("Enquiry waiting for your answer: %(title)s")
                    % {"title": enquiry.listing.title}
                ),
                lambda enquiry=enquiry: (
                    _("The answer was due on %(due)s. Please reply or decline.")
                    % {"due": timezone.localtime(enquiry.answer_due_at).strftime("%d/%m/%Y %H:%M")}
                ),
                url=enquiry_path(enquiry),
            )
            notify_each(
                role_holders(Role.DEPARTMENT_STAFF),
                lambda enquiry=enquiry: (
                    _("Unanswered enquiry: %(title)s") % {"title": enquiry.listing.title}
                ),
                lambda enquiry=enquiry: (
                    _("%(owner)s has not answered an enquiry due on %(due)s.")
                    % {
                        "owner": enquiry.listing.owner_organisation,
                        "due": timezone.localtime(enquiry.answer_due_at).strftime("%d/%m/%Y %H:%M"),
                    }
                ),
                url="/admin/technologies/enquiries/",
            )
            flagged += 1
    return flagged


def enquiry_path(enquiry: Enquiry) -> str:
    return f"/me/technologies/enquiries/{enquiry.pk}/"


def _notify_owner(listing: Listing, subject, body) -> None:
    notify_each([listing.owner], subject, body, url=f"/me/technologies/{listing.pk}/")
