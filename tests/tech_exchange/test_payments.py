"""The payment services: which orders may be created, the exact Checkout Session sent to Stripe
(through a stub of the wrapper: no test reaches Stripe), idempotency, and the wrapper itself
against a fake HTTP client."""

import functools
import json
from datetime import timedelta

import pytest
import stripe
from django.utils import timezone, translation

from portal.core.exceptions import PortalError
from tech_exchange import payments, stripe_client
from tech_exchange.models import (
    EnquiryStatus,
    ListingStatus,
    Order,
    OrderKind,
    OrderStatus,
)
from tests.factories import make_user
from tests.factories.tech_exchange import make_enquiry, make_listing
from tests.tech_exchange.conftest import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    licence_order,
    start,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]

# --- which orders may be created ---------------------------------------------------------------


def test_a_licence_order_is_for_the_listed_price_and_paid_to_the_owner(stripe_keys):
    listing = make_listing(price_vnd=1_500_000)
    buyer = make_user()
    order = payments.order_for_licence(user=buyer, listing=listing)
    assert order.kind == OrderKind.LICENCE
    assert order.status == OrderStatus.PENDING
    assert (order.buyer, order.seller, order.listing) == (buyer, listing.owner, listing)
    assert (order.amount_vnd, order.currency) == (1_500_000, "vnd")
    assert order.idempotency_key == f"checkout-{order.reference}"


def test_clicking_buy_twice_gives_the_same_pending_order(stripe_keys):
    listing = make_listing()
    buyer = make_user()
    first = payments.order_for_licence(user=buyer, listing=listing)
    assert payments.order_for_licence(user=buyer, listing=listing) == first
    assert Order.objects.count() == 1


def test_a_pending_order_older_than_a_checkout_session_is_not_offered_again(stripe_keys):
    listing = make_listing()
    buyer = make_user()
    old = payments.order_for_licence(user=buyer, listing=listing)
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=24))
    new = payments.order_for_licence(user=buyer, listing=listing)
    assert new != old
    assert Order.objects.get(pk=old.pk).status == OrderStatus.PENDING


@pytest.mark.parametrize(
    ("listing_fields", "code"),
    [
        ({"status": ListingStatus.CLOSED}, "listing_closed"),
        ({"status": ListingStatus.EXPIRED}, "listing_closed"),
        ({"status": ListingStatus.DRAFT}, "listing_closed"),
        ({"status": ListingStatus.UNDER_REVIEW}, "listing_closed"),
        ({"price_type": "negotiable", "price_vnd": None}, "not_purchasable"),
        ({"licensing_model": "exclusive"}, "not_purchasable"),
        ({"licensing_model": "assignment"}, "not_purchasable"),
        ({"kind": "request"}, "not_for_sale"),
    ],
)
def test_only_a_published_fixed_price_licence_can_be_bought(stripe_keys, listing_fields, code):
    listing = make_listing(**listing_fields)
    with pytest.raises(PortalError) as refused:
        payments.order_for_licence(user=make_user(), listing=listing)
    assert refused.value.code == code
    assert not Order.objects.exists()


def test_nobody_buys_their_own_listing(stripe_keys):
    listing = make_listing()
    with pytest.raises(PortalError) as refused, translation.override("en"):
        payments.order_for_licence(user=listing.owner, listing=listing)
    assert refused.value.code == "own_listing"
    assert "your own listing" in str(refused.value.message)
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (OrderStatus.PAID, "already_paid"),
        (OrderStatus.PROCESSING, "payment_processing"),
        (OrderStatus.MISMATCH, "payment_held"),
    ],
)
def test_no_second_licence_order_while_one_is_paid_or_being_paid(stripe_keys, status, code):
    order = licence_order()
    Order.objects.filter(pk=order.pk).update(status=status)
    with pytest.raises(PortalError) as refused:
        payments.order_for_licence(user=order.buyer, listing=order.listing)
    assert refused.value.code == code
    assert Order.objects.count() == 1


def test_a_failed_or_expired_order_lets_the_buyer_try_again(stripe_keys):
    order = licence_order()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.EXPIRED)
    again = payments.order_for_licence(user=order.buyer, listing=order.listing)
    assert again != order and again.status == OrderStatus.PENDING


def test_without_keys_nothing_can_be_bought(settings):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = ""
    listing = make_listing()
    with pytest.raises(PortalError) as refused, translation.override("en"):
        payments.order_for_licence(user=make_user(), listing=listing)
    assert refused.value.code == "payments_not_configured"
    assert str(refused.value.message) == "Online payment is not configured on this server."
    assert not Order.objects.exists()


def test_a_deal_is_paid_by_the_enquiry_sender_for_the_agreed_amount(stripe_keys):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL, amount=275_000_000)
    order = payments.order_for_deal(user=enquiry.sender, enquiry=enquiry)
    assert order.kind == OrderKind.DEAL
    assert (order.enquiry, order.listing) == (enquiry, enquiry.listing)
    assert (order.buyer, order.seller) == (enquiry.sender, enquiry.listing.owner)
    assert order.amount_vnd == 275_000_000


def test_a_deal_can_be_paid_even_for_a_negotiable_listing(stripe_keys):
    listing = make_listing(price_type="negotiable", price_vnd=None, licensing_model="exclusive")
    enquiry = make_enquiry(listing=listing, status=EnquiryStatus.DEAL, amount=90_000_000)
    assert payments.order_for_deal(user=enquiry.sender, enquiry=enquiry).amount_vnd == 90_000_000


@pytest.mark.parametrize("who", ["owner", "stranger"])
def test_only_the_enquiry_sender_pays_the_deal(stripe_keys, who):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL)
    user = enquiry.listing.owner if who == "owner" else make_user()
    with pytest.raises(PortalError) as refused:
        payments.order_for_deal(user=user, enquiry=enquiry)
    assert refused.value.code == "forbidden"
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "status", [EnquiryStatus.OPEN, EnquiryStatus.NEGOTIATING, EnquiryStatus.DECLINED]
)
def test_only_an_agreed_deal_can_be_paid(stripe_keys, status):
    enquiry = make_enquiry(status=status)
    with pytest.raises(PortalError) as refused:
        payments.order_for_deal(user=enquiry.sender, enquiry=enquiry)
    assert refused.value.code == "not_a_deal"
    assert not Order.objects.exists()


def test_a_paid_deal_is_not_paid_twice(stripe_keys):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL)
    order = payments.order_for_deal(user=enquiry.sender, enquiry=enquiry)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
    with pytest.raises(PortalError) as refused:
        payments.order_for_deal(user=enquiry.sender, enquiry=enquiry)
    assert refused.value.code == "already_paid"


def test_the_owner_features_a_published_listing_at_the_configured_price(stripe_keys):
    stripe_keys.FEATURE_PRICE_VND = 3_000_000
    listing = make_listing()
    order = payments.order_for_feature(user=listing.owner, listing=listing)
    assert order.kind == OrderKind.FEATURE
    assert (order.amount_vnd, order.buyer, order.seller) == (3_000_000, listing.owner, None)


def test_only_the_owner_features_a_listing_and_only_a_published_one(stripe_keys):
    listing = make_listing()
    with pytest.raises(PortalError) as refused:
        payments.order_for_feature(user=make_user(), listing=listing)
    assert refused.value.code == "forbidden"
    draft = make_listing(status=ListingStatus.DRAFT)
    with pytest.raises(PortalError) as refused:
        payments.order_for_feature(user=draft.owner, listing=draft)
    assert refused.value.code == "listing_closed"
    assert not Order.objects.exists()


def test_a_featured_listing_can_be_featured_again(stripe_keys):
    listing = make_listing()
    order = payments.order_for_feature(user=listing.owner, listing=listing)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
    assert payments.order_for_feature(user=listing.owner, listing=listing) != order


def test_anonymous_users_are_asked_to_sign_in(stripe_keys):
    from django.contrib.auth.models import AnonymousUser

    listing = make_listing()
    refusal = payments.licence_refusal(AnonymousUser(), listing)
    assert refusal.code == "sign_in"
    enquiry = make_enquiry(status=EnquiryStatus.DEAL)
    assert payments.deal_refusal(AnonymousUser(), enquiry).code == "sign_in"
    assert payments.feature_refusal(AnonymousUser(), listing).code == "sign_in"


# --- the Checkout Session ----------------------------------------------------------------------


def test_checkout_sends_the_exact_session_with_the_orders_idempotency_key(checkout):
    buyer = make_user(email="buyer@example.org", language="en")
    listing = make_listing(price_vnd=1_500_000, title="Cảm biến bụi mịn")
    order = payments.order_for_licence(user=buyer, listing=listing)

    url = start(order)

    assert url == "https://checkout.stripe.com/c/pay/cs_test_1"
    [(params, key)] = checkout.calls
    assert key == f"checkout-{order.reference}"
    reference = str(order.reference)
    metadata = {"order_reference": reference, "order_kind": "licence"}
    assert params == {
        "mode": "payment",
        "client_reference_id": reference,
        "customer_email": "buyer@example.org",
        "locale": "en",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "vnd",
                    # VND is zero-decimal: 1,500,000 VND is 1500000, not 150000000.
                    "unit_amount": 1_500_000,
                    "product_data": {"name": order.description},
                },
            }
        ],
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": order.description},
        "success_url": f"https://portal.example.org/payments/orders/{reference}/done/",
        "cancel_url": f"https://portal.example.org/payments/orders/{reference}/cancelled/",
    }
    order.refresh_from_db()
    assert order.stripe_session_id == "cs_test_1"
    assert order.checkout_url == url
    assert order.status == OrderStatus.PENDING


def test_checkout_for_a_deal_and_a_feature_names_the_order_kind(checkout):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL, amount=300_000_000)
    deal_order = payments.order_for_deal(user=enquiry.sender, enquiry=enquiry)
    start(deal_order)
    listing = make_listing()
    feature_order = payments.order_for_feature(user=listing.owner, listing=listing)
    start(feature_order)
    (deal_params, _), (feature_params, _) = checkout.calls
    assert deal_params["metadata"]["order_kind"] == "deal"
    assert deal_params["line_items"][0]["price_data"]["unit_amount"] == 300_000_000
    assert feature_params["metadata"]["order_kind"] == "feature"
    assert feature_params["line_items"][0]["price_data"]["unit_amount"] == 2_000_000
    assert feature_params["locale"] == "vi"


def test_starting_checkout_twice_reuses_the_session(checkout):
    order = licence_order()
    first = start(order)
    again = payments.order_for_licence(user=order.buyer, listing=order.listing)
    assert again == order
    assert start(again) == first
    assert len(checkout.calls) == 1


def test_a_retried_checkout_uses_the_same_idempotency_key(checkout):
    order = licence_order()
    checkout.error = stripe_client.PaymentProviderError("timeout")
    with pytest.raises(PortalError) as refused:
        start(order)
    assert refused.value.code == "payment_provider"
    order.refresh_from_db()
    assert (order.stripe_session_id, order.checkout_url) == ("", "")

    checkout.error = None
    start(order)
    keys = [key for _, key in checkout.calls]
    assert keys == [f"checkout-{order.reference}"] * 2


def test_checkout_is_refused_for_an_order_no_longer_pending(checkout):
    order = licence_order()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
    with pytest.raises(PortalError) as refused:
        start(order)
    assert refused.value.code == "order_not_pending"
    assert checkout.calls == []


def test_checkout_is_refused_without_keys(checkout, settings):
    order = licence_order()
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(PortalError) as refused:
        start(order)
    assert refused.value.code == "payments_not_configured"
    assert checkout.calls == []


# --- the wrapper -------------------------------------------------------------------------------


class FakeStripeHTTP(stripe.HTTPClient):
    """Answers the stripe library's requests locally."""

    name = "fake"

    def __init__(self, status: int = 200, body: dict | None = None):
        super().__init__()
        self.status, self.body, self.requests = status, body, []

    def request(self, method, url, headers, post_data=None):
        self.requests.append({"method": method, "url": url, "headers": headers, "data": post_data})
        return json.dumps(self.body), self.status, {}

    def close(self):
        pass


def fake_stripe(monkeypatch, http: FakeStripeHTTP) -> None:
    real = stripe.StripeClient
    monkeypatch.setattr(
        stripe_client.stripe, "StripeClient", functools.partial(real, http_client=http)
    )


def test_the_wrapper_sends_the_idempotency_key_and_the_zero_decimal_amount(
    stripe_keys, monkeypatch
):
    http = FakeStripeHTTP(
        body={
            "id": "cs_test_9",
            "object": "checkout.session",
            "url": "https://checkout.stripe.com/x",
        }
    )
    fake_stripe(monkeypatch, http)
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "vnd",
                    "unit_amount": 1_500_000,
                    "product_data": {"name": "Licence"},
                },
            }
        ],
    }
    session = stripe_client.create_checkout_session(params, "checkout-abc")
    assert session == {
        "id": "cs_test_9",
        "object": "checkout.session",
        "url": "https://checkout.stripe.com/x",
    }
    [sent] = http.requests
    assert sent["url"] == "https://api.stripe.com/v1/checkout/sessions"
    assert sent["headers"]["Idempotency-Key"] == "checkout-abc"
    assert sent["headers"]["Authorization"] == f"Bearer {SECRET_KEY}"
    assert "line_items[0][price_data][unit_amount]=1500000" in sent["data"]


def test_the_wrapper_turns_stripe_refusals_into_one_error(stripe_keys, monkeypatch):
    http = FakeStripeHTTP(
        status=400, body={"error": {"type": "invalid_request_error", "message": "Amount too large"}}
    )
    fake_stripe(monkeypatch, http)
    with pytest.raises(stripe_client.PaymentProviderError, match="Amount too large"):
        stripe_client.create_checkout_session({"mode": "payment"}, "checkout-abc")


def test_payments_are_configured_only_with_both_keys(settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = SECRET_KEY, ""
    assert not stripe_client.is_configured()
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "", WEBHOOK_SECRET
    assert not stripe_client.is_configured()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    assert stripe_client.is_configured()
