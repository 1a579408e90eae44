"""Payments through Stripe Checkout: buying a fixed-price licence, paying the agreed amount of a
negotiated deal, and paying to feature a listing for 30 days.

An order is created here and sent to Checkout with an idempotency key derived from it; from then
on only verified webhooks change it (`stripe_event_handle`). Each Stripe event is stored once, in
the same transaction as the change it makes, with the order row locked, so a second delivery or a
late, out-of-order event changes nothing. The amount and currency Stripe reports are checked
against the order before anything is fulfilled.

Refunds reverse what can be reversed:
- a licence purchase: the purchase `Deal` is deleted, since the dashboard counts deals and a
  refunded purchase is not one (the order keeps the record of what happened);
- a featured listing: `featured_until` goes back 30 days, and the feature ends if that is in the
  past (days already shown cannot be taken back);
- a negotiated deal: the `Deal` stays, because the owner recorded the agreement; the order shows
  the payment as refunded.
A partial refund changes no status: it is written in the order's problem text for staff.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.exceptions import PortalError
from portal.core.formatting import format_vnd
from portal.notifications.services import notify_each, role_holders

from . import permissions, stripe_client
from .models import (
    FEATURE_DAYS,
    Deal,
    DealSource,
    Enquiry,
    EnquiryStatus,
    Kind,
    Listing,
    Order,
    OrderKind,
    OrderStatus,
    StripeEvent,
)
from .services import deal_record

logger = logging.getLogger(__name__)

# Checkout Sessions live 24 hours; a pending order younger than this is offered again (with its
# Session) instead of starting a second payment for the same thing.
REUSE_PENDING_FOR = timedelta(hours=23)

COMPLETED = "checkout.session.completed"
ASYNC_SUCCEEDED = "checkout.session.async_payment_succeeded"
ASYNC_FAILED = "checkout.session.async_payment_failed"
EXPIRED = "checkout.session.expired"
REFUNDED = "charge.refunded"
HANDLED_EVENTS = frozenset({COMPLETED, ASYNC_SUCCEEDED, ASYNC_FAILED, EXPIRED, REFUNDED})

# What a StripeEvent's `outcome` says it did.
FULFILLED = "fulfilled"
PROCESSING = "processing"
FAILED = "failed"
EXPIRED_OUTCOME = "expired"
REFUNDED_OUTCOME = "refunded"
PARTIAL_REFUND = "partial_refund"
MISMATCH = "mismatch"
UNKNOWN_ORDER = "unknown_order"
IGNORED = "ignored"

# Payment can still arrive for these; every other status is final for the checkout's events.
OPEN_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.PROCESSING})
# Money was taken (or is being taken): no second order for the same thing meanwhile.
BLOCKING_STATUSES = frozenset({OrderStatus.PROCESSING, OrderStatus.MISMATCH})
# Sellers see orders where money moved; abandoned checkouts are the buyer's business.
SELLER_VISIBLE = frozenset(
    {OrderStatus.PROCESSING, OrderStatus.PAID, OrderStatus.REFUNDED, OrderStatus.MISMATCH}
)


def receipt_path(order: Order) -> str:
    return f"/me/orders/{order.reference}/"


# --- refusals ----------------------------------------------------------------------------------
# Each returns the PortalError that buying would raise, or None: the buttons show the same reason
# the service gives.


def _not_configured() -> PortalError:
    return PortalError(
        _("Online payment is not configured on this server."),
        code="payments_not_configured",
        status_code=503,
    )


def _unavailable(user, sign_in: str) -> PortalError | None:
    """Why `user` cannot pay online at all, if they cannot: `sign_in` asks an anonymous visitor
    to sign in for what they were about to pay."""
    if not stripe_client.is_configured():
        return _not_configured()
    if not user.is_authenticated:
        return PortalError(sign_in, code="sign_in", status_code=403)
    return None


def _blocked(
    statuses: set[str], *, paid: str | None = None, held: str, processing: str
) -> PortalError | None:
    if paid and OrderStatus.PAID in statuses:
        return PortalError(paid, code="already_paid", status_code=409)
    if OrderStatus.MISMATCH in statuses:
        return PortalError(held, code="payment_held", status_code=409)
    if OrderStatus.PROCESSING in statuses:
        return PortalError(processing, code="payment_processing", status_code=409)
    return None


def _statuses(**lookup) -> set[str]:
    return set(
        Order.objects.filter(
            status__in=[OrderStatus.PAID, *BLOCKING_STATUSES], **lookup
        ).values_list("status", flat=True)
    )


def licence_refusal(user, listing: Listing) -> PortalError | None:
    if refusal := _unavailable(user, _("Sign in to buy this licence.")):
        return refusal
    if permissions.is_owner(user, listing):
        return PortalError(_("This is your own listing: you cannot buy it."), code="own_listing")
    if listing.kind != Kind.OFFER:
        return PortalError(
            _("This is a technology request, not an offer for sale."), code="not_for_sale"
        )
    if not listing.is_public:
        return PortalError(
            _("This listing is not open for purchase: it is closed, expired or not published."),
            code="listing_closed",
            status_code=409,
        )
    if not listing.can_be_bought:
        return PortalError(
            _(
                "This technology is not sold at a fixed price: send the owner an enquiry to "
                "agree the terms."
            ),
            code="not_purchasable",
        )
    return _blocked(
        _statuses(kind=OrderKind.LICENCE, listing=listing, buyer=user),
        paid=_("You already bought this licence; the receipt is in your orders."),
        held=_("Your payment for this licence is held for review by the department."),
        processing=_("Your payment for this licence is being processed."),
    )


def deal_refusal(user, enquiry: Enquiry) -> PortalError | None:
    if refusal := _unavailable(user, _("Sign in to pay this deal.")):
        return refusal
    if enquiry.sender_id != user.pk:
        return PortalError(
            _("Only the buyer who sent the enquiry can pay this deal."),
            code="forbidden",
            status_code=403,
        )
    if enquiry.status != EnquiryStatus.DEAL or not enquiry.agreed_amount_vnd:
        return PortalError(
            _("Only a deal with an agreed amount can be paid; this enquiry is “%(status)s”.")
            % {"status": enquiry.get_status_display()},
            code="not_a_deal",
            status_code=409,
        )
    return _blocked(
        _statuses(kind=OrderKind.DEAL, enquiry=enquiry),
        paid=_("This deal is already paid; the receipt is in your orders."),
        held=_("The payment for this deal is held for review by the department."),
        processing=_("The payment for this deal is being processed."),
    )


def feature_refusal(user, listing: Listing) -> PortalError | None:
    if refusal := _unavailable(user, _("Sign in to feature your listing.")):
        return refusal
    if not permissions.is_owner(user, listing):
        return PortalError(
            _("Only the listing's owner can feature it."), code="forbidden", status_code=403
        )
    if not listing.is_public:
        return PortalError(
            _("Only a published listing can be featured."),
            code="listing_closed",
            status_code=409,
        )
    # Paying again while featured is allowed: it adds another 30 days.
    return _blocked(
        _statuses(kind=OrderKind.FEATURE, listing=listing),
        held=_("A payment to feature this listing is held for review by the department."),
        processing=_("A payment to feature this listing is being processed."),
    )


def _refuse(refusal: PortalError | None) -> None:
    if refusal is not None:
        raise refusal


# --- orders ------------------------------------------------------------------------------------


def _lock(listing: Listing) -> Listing:
    # Serialises two clicks on the same button, so they share one order.
    return (
        Listing.objects.select_for_update(of=("self",)).select_related("owner").get(pk=listing.pk)
    )


def _pending_or_new(*, description: str, **fields) -> Order:
    reusable = (
        Order.objects.filter(
            status=OrderStatus.PENDING,
            created_at__gte=timezone.now() - REUSE_PENDING_FOR,
            **fields,
        )
        .order_by("-created_at")
        .first()
    )
    if reusable is not None:
        return reusable
    order = Order(description=description[:255], **fields)
    order.full_clean()
    order.save()
    return order


@transaction.atomic
def order_for_licence(*, user: User, listing: Listing) -> Order:
    listing = _lock(listing)
    _refuse(licence_refusal(user, listing))
    return _pending_or_new(
        kind=OrderKind.LICENCE,
        listing=listing,
        enquiry=None,
        buyer=user,
        seller=listing.owner,
        amount_vnd=listing.price_vnd,
        description=_("Licence: %(title)s") % {"title": listing.title},
    )


@transaction.atomic
def order_for_deal(*, user: User, enquiry: Enquiry) -> Order:
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("listing", "listing__owner")
        .get(pk=enquiry.pk)
    )
    _refuse(deal_refusal(user, enquiry))
    return _pending_or_new(
        kind=OrderKind.DEAL,
        listing=enquiry.listing,
        enquiry=enquiry,
        buyer=user,
        seller=enquiry.listing.owner,
        amount_vnd=enquiry.agreed_amount_vnd,
        description=_("Agreed deal: %(title)s") % {"title": enquiry.listing.title},
    )


@transaction.atomic
def order_for_feature(*, user: User, listing: Listing) -> Order:
    listing = _lock(listing)
    _refuse(feature_refusal(user, listing))
    return _pending_or_new(
        kind=OrderKind.FEATURE,
        listing=listing,
        enquiry=None,
        buyer=user,
        seller=None,
        amount_vnd=settings.FEATURE_PRICE_VND,
        description=_("Featured for %(days)s days: %(title)s")
        % {"days": FEATURE_DAYS, "title": listing.title},
    )


def checkout_params(order: Order, *, success_url: str, cancel_url: str) -> dict:
    """The Checkout Session for `order`. VND is a zero-decimal currency in Stripe: 1,500,000 VND
    is sent as 1500000, with no factor of 100. The reference travels in the Session's and the
    PaymentIntent's metadata, so Session events and Charge (refund) events both name the order."""
    metadata = {"order_reference": str(order.reference), "order_kind": order.kind}
    return {
        "mode": "payment",
        "client_reference_id": str(order.reference),
        "customer_email": order.buyer.email,
        "locale": "vi" if order.buyer.language == "vi" else "en",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": order.currency,
                    "unit_amount": order.amount_vnd,
                    "product_data": {"name": order.description},
                },
            }
        ],
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": order.description},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }


def checkout_start(*, order: Order, success_url: str, cancel_url: str) -> str:
    """The Checkout page's address for `order`. A started order keeps its Session; the idempotency
    key makes a retried creation (after a timeout, or by a second request at the same moment)
    return that same Session rather than a second one."""
    if not stripe_client.is_configured():
        raise _not_configured()
    order = Order.objects.select_related("buyer").get(pk=order.pk)
    if order.status != OrderStatus.PENDING:
        raise PortalError(
            _("This order is no longer awaiting payment: %(status)s.")
            % {"status": order.get_status_display()},
            code="order_not_pending",
            status_code=409,
        )
    if order.checkout_url:
        return order.checkout_url
    params = checkout_params(order, success_url=success_url, cancel_url=cancel_url)
    # No transaction around the call: a row lock held through a network request would only
    # delay the webhook, and the idempotency key already prevents a second Session.
    try:
        session = stripe_client.create_checkout_session(params, order.idempotency_key)
    except stripe_client.PaymentProviderError:
        logger.exception("Stripe refused or did not answer a Checkout Session for %s", order.pk)
        raise PortalError(
            _(
                "The payment service could not start the payment. Nothing was charged; please "
                "try again in a minute."
            ),
            code="payment_provider",
            status_code=502,
        ) from None
    Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
        stripe_session_id=session["id"], checkout_url=session["url"], updated_at=timezone.now()
    )
    return session["url"]


# --- webhooks ----------------------------------------------------------------------------------


def _stripe_id(value) -> str:
    """An id field of a Stripe object: a plain id, or the object when it was expanded."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _order_of(event_type: str, obj: dict) -> Order | None:
    """The event's order, locked until the transaction ends."""
    orders = Order.objects.select_for_update(of=("self",)).select_related(
        "listing", "buyer", "seller"
    )
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    reference = metadata.get("order_reference") or obj.get("client_reference_id")
    if reference:
        try:
            return orders.filter(reference=uuid.UUID(str(reference))).first()
        except ValueError:
            return None
    payment_intent = _stripe_id(obj.get("payment_intent"))
    if event_type == REFUNDED and payment_intent:
        return orders.filter(stripe_payment_intent=payment_intent).first()
    return None


def _valid_event(event) -> bool:
    return (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and bool(event["id"])
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("object"), dict)
    )


def stripe_event_handle(*, event: dict) -> tuple[StripeEvent, bool]:
    """Stores a verified Stripe event once and applies it to its order, in one transaction with
    the order row locked. Returns the stored event and whether it is new: a second delivery gets
    the event stored the first time and changes nothing."""
    if not _valid_event(event):
        raise PortalError(_("Not a Stripe event."), code="invalid_event")
    event_type, obj = event["type"], event["data"]["object"]
    with transaction.atomic():
        order = _order_of(event_type, obj) if event_type in HANDLED_EVENTS else None
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event["id"], type=event_type, payload=event, order=order
                )
        except IntegrityError:
            logger.info("Stripe event %s delivered again; nothing to do", event["id"])
            return StripeEvent.objects.get(event_id=event["id"]), False
        if event_type not in HANDLED_EVENTS:
            outcome = IGNORED
        elif order is None:
            outcome = UNKNOWN_ORDER
            logger.warning("Stripe event %s (%s) names no known order", event["id"], event_type)
        else:
            outcome = _HANDLERS[event_type](order, obj)
        record.outcome = outcome
        record.processed_at = timezone.now()
        record.save(update_fields=["outcome", "processed_at"])
    return record, True


def _unchanged(order: Order) -> str:
    return f"{IGNORED}: order {order.status}"


def _session_seen(order: Order, session: dict) -> None:
    order.stripe_session_id = order.stripe_session_id or _stripe_id(session.get("id"))
    order.stripe_payment_intent = (
        _stripe_id(session.get("payment_intent")) or order.stripe_payment_intent
    )


def _on_completed(order: Order, session: dict) -> str:
    if order.status not in OPEN_STATUSES:
        return _unchanged(order)
    _session_seen(order, session)
    if session.get("payment_status") in ("paid", "no_payment_required"):
        return _settle(order, session)
    # A delayed method (bank transfer, debit): the money is confirmed by a later event.
    order.status = OrderStatus.PROCESSING
    order.save()
    return PROCESSING


def _on_async_succeeded(order: Order, session: dict) -> str:
    if order.status not in OPEN_STATUSES:
        return _unchanged(order)
    _session_seen(order, session)
    return _settle(order, session)


def _on_async_failed(order: Order, session: dict) -> str:
    if order.status not in OPEN_STATUSES:
        return _unchanged(order)
    _session_seen(order, session)
    order.status = OrderStatus.FAILED
    order.save()
    return FAILED


def _on_expired(order: Order, session: dict) -> str:
    # Only an open Session expires; a processing order's Session was completed.
    if order.status != OrderStatus.PENDING:
        return _unchanged(order)
    order.status = OrderStatus.EXPIRED
    order.save()
    return EXPIRED_OUTCOME


def _on_refunded(order: Order, charge: dict) -> str:
    refundable = {*OPEN_STATUSES, OrderStatus.PAID, OrderStatus.MISMATCH}
    if order.status not in refundable:
        return _unchanged(order)
    amount = charge.get("amount") or 0
    refunded = charge.get("amount_refunded") or 0
    if not charge.get("refunded") and refunded < amount:
        order.problem = "\n".join(
            filter(
                None,
                [
                    order.problem,
                    _("Partly refunded in Stripe: %(refunded)s of %(amount)s.")
                    % {"refunded": format_vnd(refunded), "amount": format_vnd(amount)},
                ],
            )
        )
        order.save()
        return PARTIAL_REFUND
    was_paid = order.status == OrderStatus.PAID
    order.status = OrderStatus.REFUNDED
    order.refunded_at = timezone.now()
    order.stripe_payment_intent = order.stripe_payment_intent or _stripe_id(
        charge.get("payment_intent")
    )
    order.save()
    # A refund seen before the payment (events arrive in any order) leaves nothing to reverse;
    # the late success then finds the order refunded and changes nothing.
    reversed_ = _reverse(order) if was_paid else {}
    audit_log(
        order,
        "tech_exchange.order_refunded",
        data={"reference": str(order.reference), "amount": refunded, **reversed_},
    )
    _notify_parties(
        order,
        lambda: _("Payment refunded: %(title)s") % {"title": order.listing.title},
        lambda: (
            _("The payment of %(amount)s for “%(what)s” was refunded.")
            % {"amount": format_vnd(order.amount_vnd), "what": order.description}
        ),
    )
    return REFUNDED_OUTCOME


_HANDLERS = {
    COMPLETED: _on_completed,
    ASYNC_SUCCEEDED: _on_async_succeeded,
    ASYNC_FAILED: _on_async_failed,
    EXPIRED: _on_expired,
    REFUNDED: _on_refunded,
}


def _settle(order: Order, session: dict) -> str:
    amount = session.get("amount_total")
    currency = str(session.get("currency") or "").lower()
    order.paid_amount = amount if isinstance(amount, int) and not isinstance(amount, bool) else None
    order.paid_currency = currency[:3]
    if order.paid_amount != order.amount_vnd or currency != order.currency:
        return _hold(order, amount, currency)
    order.status = OrderStatus.PAID
    order.paid_at = timezone.now()
    order.save()
    fulfilled = _fulfil(order)
    audit_log(
        order,
        "tech_exchange.order_paid",
        data={
            "reference": str(order.reference),
            "amount_vnd": order.amount_vnd,
            "payment_intent": order.stripe_payment_intent,
            **fulfilled,
        },
    )
    _notify_parties(
        order,
        lambda: _("Payment received: %(title)s") % {"title": order.listing.title},
        lambda: (
            _("%(amount)s was paid for “%(what)s”. The receipt is in your orders.")
            % {"amount": format_vnd(order.amount_vnd), "what": order.description}
        ),
    )
    return FULFILLED


def _hold(order: Order, amount, currency: str) -> str:
    """Stripe reports a different amount or currency: the order is held, not fulfilled, and the
    department is told."""
    order.status = OrderStatus.MISMATCH
    order.problem = _(
        "Stripe reported %(paid)s %(paid_currency)s paid; the order is for %(amount)s "
        "%(currency)s. Nothing was fulfilled: check the payment in Stripe and refund it."
    ) % {
        "paid": amount,
        "paid_currency": currency.upper() or "?",
        "amount": order.amount_vnd,
        "currency": order.currency.upper(),
    }
    order.save()
    logger.error("Order %s held: %s", order.reference, order.problem)
    notify_each(
        role_holders(Role.DEPARTMENT_STAFF),
        lambda: _("Payment held for review: %(what)s") % {"what": order.description},
        lambda: (
            _(
                "Order %(reference)s: Stripe reported %(paid)s %(paid_currency)s paid, the order "
                "is for %(amount)s."
            )
            % {
                "reference": order.reference,
                "paid": amount,
                "paid_currency": currency.upper() or "?",
                "amount": format_vnd(order.amount_vnd),
            }
        ),
        url=f"/admin/technologies/orders/?status={OrderStatus.MISMATCH}",
    )
    return MISMATCH


def _fulfil(order: Order) -> dict:
    """What paying gives; returns what was done, for the audit log."""
    if order.kind == OrderKind.LICENCE:
        deal = deal_record(
            listing=order.listing,
            buyer=order.buyer,
            source=DealSource.PURCHASE,
            amount_vnd=order.amount_vnd,
        )
        order.deal = deal
        Order.objects.filter(pk=order.pk).update(deal=deal)
        return {"deal": deal.pk}
    if order.kind == OrderKind.FEATURE:
        listing = Listing.objects.select_for_update().get(pk=order.listing_id)
        today = timezone.localdate()
        start = max(today, listing.featured_until or today)
        listing.featured_until = start + timedelta(days=FEATURE_DAYS)
        listing.save(update_fields=["featured_until", "updated_at"])
        order.listing = listing
        audit_log(
            listing,
            "tech_exchange.featured",
            user=order.buyer,
            data={"until": listing.featured_until.isoformat(), "order": str(order.reference)},
        )
        return {"featured_until": listing.featured_until.isoformat()}
    # A negotiated deal: its Deal was recorded when the owner agreed it; paying settles it.
    return {
        "deal": Deal.objects.filter(enquiry=order.enquiry_id).values_list("pk", flat=True).first()
    }


def _reverse(order: Order) -> dict:
    if order.kind == OrderKind.LICENCE:
        if order.deal_id is None:
            return {}
        pk = order.deal_id
        Deal.objects.filter(pk=pk).delete()
        order.deal = None
        return {"deal_removed": pk}
    if order.kind == OrderKind.FEATURE:
        listing = Listing.objects.select_for_update().get(pk=order.listing_id)
        if listing.featured_until is None:
            return {}
        until = listing.featured_until - timedelta(days=FEATURE_DAYS)
        listing.featured_until = until if until >= timezone.localdate() else None
        listing.save(update_fields=["featured_until", "updated_at"])
        order.listing = listing
        return {"featured_until": listing.featured_until and listing.featured_until.isoformat()}
    return {}


def _notify_parties(order: Order, subject, body) -> None:
    recipients = [order.buyer] + ([order.seller] if order.seller_id else [])
    notify_each(recipients, subject, body, url=receipt_path(order))


# --- reads -------------------------------------------------------------------------------------


def orders_of(user: User) -> QuerySet[Order]:
    """The user's orders as buyer, and as seller once money moved."""
    return (
        Order.objects.filter(Q(buyer=user) | Q(seller=user, status__in=SELLER_VISIBLE))
        .select_related("listing", "buyer", "seller")
        .order_by("-created_at", "-pk")
    )


def deal_payment(enquiry: Enquiry) -> Order | None:
    """The order that paid (or is paying) a negotiated deal, if any."""
    return (
        Order.objects.filter(
            kind=OrderKind.DEAL,
            enquiry=enquiry,
            status__in=[OrderStatus.PAID, OrderStatus.REFUNDED, *BLOCKING_STATUSES],
        )
        .order_by("-created_at")
        .first()
    )
