"""Paying on the exchange: the buttons post here, the buyer goes to Stripe Checkout and comes back
to a page that waits for Stripe's webhook; /me/orders/ lists orders with their receipts.

Only the webhook fulfils an order. A refused purchase shows the service's reason and changes
nothing.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.permissions import is_department_staff
from portal.core.exceptions import PortalError

from . import payments, permissions, stripe_client
from .models import Enquiry, Listing, Order, OrderKind, OrderStatus

logger = logging.getLogger(__name__)

ORDERS_PER_PAGE = 20
# The waiting page reloads itself this often until the webhook has arrived.
REFRESH_SECONDS = 5

STATUS_BADGES = {
    OrderStatus.PENDING: "neutral",
    OrderStatus.PROCESSING: "info",
    OrderStatus.PAID: "ok",
    OrderStatus.FAILED: "error",
    OrderStatus.EXPIRED: "neutral",
    OrderStatus.REFUNDED: "warn",
    OrderStatus.MISMATCH: "warn",
}
STATUS_EXPLANATIONS = {
    OrderStatus.PENDING: gettext_lazy(
        "Stripe has not confirmed the payment yet. This page updates by itself; you can also "
        "close it: the order and its receipt stay in your orders."
    ),
    OrderStatus.PROCESSING: gettext_lazy(
        "Your payment is being processed. Some payment methods take a few days; you get a "
        "message as soon as Stripe confirms it."
    ),
    OrderStatus.PAID: gettext_lazy("The payment is confirmed."),
    OrderStatus.FAILED: gettext_lazy(
        "The payment failed and nothing was charged. You can try again with another method."
    ),
    OrderStatus.EXPIRED: gettext_lazy(
        "The payment page expired before it was paid; nothing was charged."
    ),
    OrderStatus.REFUNDED: gettext_lazy("The payment was refunded."),
    OrderStatus.MISMATCH: gettext_lazy(
        "Stripe reported a payment that does not match this order. The Department of Science "
        "and Technology is checking it and will contact you; nothing was fulfilled meanwhile."
    ),
}


def _refused(request, error: PortalError):
    """The reason a purchase was refused, with a way back to the page the button was on."""
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("orders:list")
    return render(
        request,
        "tech_exchange/payments/refused.html",
        {"error": error, "back": back},
        status=error.status_code,
    )


def _to_checkout(request, make_order):
    try:
        order = make_order()
        url = payments.checkout_start(
            order=order,
            success_url=_absolute(reverse("payments:done", args=[order.reference])),
            cancel_url=_absolute(reverse("payments:cancelled", args=[order.reference])),
        )
    except PortalError as error:
        return _refused(request, error)
    return redirect(url)


def _absolute(path: str) -> str:
    # The configured address rather than the request's Host, so the URLs sent to Stripe are
    # the same for every request about one order.
    return settings.PORTAL_BASE_URL.rstrip("/") + path


@login_required
@require_POST
def buy_licence(request, listing_pk: int):
    listing = get_object_or_404(Listing, pk=listing_pk)
    return _to_checkout(
        request, lambda: payments.order_for_licence(user=request.user, listing=listing)
    )


@login_required
@require_POST
def feature(request, listing_pk: int):
    listing = get_object_or_404(Listing, pk=listing_pk)
    return _to_checkout(
        request, lambda: payments.order_for_feature(user=request.user, listing=listing)
    )


@login_required
@require_POST
def pay_deal(request, enquiry_pk: int):
    enquiry = get_object_or_404(Enquiry, pk=enquiry_pk)
    return _to_checkout(
        request, lambda: payments.order_for_deal(user=request.user, enquiry=enquiry)
    )


def _visible_order(request, reference) -> Order:
    """The order, for its buyer, its seller and staff; anyone else is told it does not exist."""
    order = get_object_or_404(
        Order.objects.select_related("listing", "buyer", "seller", "enquiry"), reference=reference
    )
    if not permissions.can_view_order(request.user, order):
        raise Http404
    return order


def _order_context(request, order: Order) -> dict:
    return {
        "order": order,
        "badge": STATUS_BADGES[order.status],
        "explanation": STATUS_EXPLANATIONS[order.status],
        "is_buyer": order.buyer_id == request.user.pk,
        "is_staff": is_department_staff(request.user),
    }


@login_required
@require_GET
def done(request, reference):
    """Where Stripe sends the buyer back. Coming back proves nothing: until the webhook confirms
    the payment, the page says it is processing and reloads itself."""
    order = _visible_order(request, reference)
    waiting = order.status in payments.OPEN_STATUSES
    return render(
        request,
        "tech_exchange/payments/done.html",
        {**_order_context(request, order), "waiting": waiting, "refresh": REFRESH_SECONDS},
    )


@login_required
@require_GET
def cancelled(request, reference):
    order = _visible_order(request, reference)
    return render(request, "tech_exchange/payments/cancelled.html", _order_context(request, order))


# --- the webhook -------------------------------------------------------------------------------


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events. Unverifiable requests get 400 and change nothing; every verified event
    gets 200 once it is stored, so Stripe stops sending it."""
    if not stripe_client.is_configured():
        return HttpResponse("Payments are not configured.", status=503, content_type="text/plain")
    try:
        event = stripe_client.construct_event(
            request.body, request.headers.get("Stripe-Signature", "")
        )
        record, new = payments.stripe_event_handle(event=event)
    except stripe_client.InvalidWebhook as error:
        logger.warning("Refused a Stripe webhook: %s", error)
        return HttpResponseBadRequest("Invalid signature.", content_type="text/plain")
    except PortalError as error:
        return HttpResponseBadRequest(str(error.message), content_type="text/plain")
    return JsonResponse({"received": True, "duplicate": not new, "outcome": record.outcome})


# --- my orders ---------------------------------------------------------------------------------


@login_required
def my_orders(request):
    page = Paginator(payments.orders_of(request.user), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for order in page:
        order.badge = STATUS_BADGES[order.status]
        order.is_purchase = order.buyer_id == request.user.pk
    return render(request, "tech_exchange/payments/orders.html", {"page_obj": page})


@login_required
def receipt(request, reference):
    order = _visible_order(request, reference)
    return render(
        request,
        "tech_exchange/payments/receipt.html",
        {**_order_context(request, order), "is_feature": order.kind == OrderKind.FEATURE},
    )
