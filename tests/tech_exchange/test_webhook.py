"""The Stripe webhook at /payments/stripe/webhook/: payloads signed with
`stripe.WebhookSignature.generate_signature_header`, as Stripe signs them. Only a verified event
changes an order; each event is stored once; duplicates and late events change nothing; the paid
amount and currency must match the order."""

import json
import time
from datetime import timedelta

import pytest
import stripe
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.accounts.roles import Role
from portal.notifications.models import Notification
from portal.notifications.services import role_holders
from tech_exchange import payments
from tech_exchange.models import (
    FEATURE_DAYS,
    Deal,
    DealSource,
    EnquiryStatus,
    Listing,
    Order,
    OrderStatus,
    StripeEvent,
)
from tests.factories import make_user
from tests.factories.tech_exchange import make_enquiry, make_listing
from tests.tech_exchange.conftest import (
    WEBHOOK,
    licence_order,
    post_event,
    refund_event,
    session_event,
    start,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]


@pytest.fixture
def order(checkout):
    """A licence order whose Checkout Session was created."""
    order = licence_order()
    start(order)
    order.refresh_from_db()
    return order


def state(order: Order) -> dict:
    """Everything a webhook could change, to compare before and after."""
    order = Order.objects.get(pk=order.pk)
    listing = Listing.objects.get(pk=order.listing_id)
    return {
        "status": order.status,
        "paid_at": order.paid_at,
        "paid_amount": order.paid_amount,
        "refunded_at": order.refunded_at,
        "problem": order.problem,
        "payment_intent": order.stripe_payment_intent,
        "featured_until": listing.featured_until,
        "deals": Deal.objects.count(),
        "events": StripeEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "log": ModelLogEntry.objects.count(),
    }


def delivered(client, event) -> dict:
    response = post_event(client, event)
    assert response.status_code == 200, response.content
    return response.json()


# --- success -----------------------------------------------------------------------------------


def test_a_completed_checkout_pays_the_licence_and_records_the_purchase(client, order):
    event = session_event(order, payment_intent="pi_test_42")
    Notification.objects.all().delete()

    answer = delivered(client, event)

    assert answer == {"received": True, "duplicate": False, "outcome": "fulfilled"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (order.paid_amount, order.paid_currency) == (order.amount_vnd, "vnd")
    assert order.paid_at is not None
    assert order.stripe_payment_intent == "pi_test_42"
    deal = Deal.objects.get()
    assert (deal.source, deal.listing, deal.buyer) == (
        DealSource.PURCHASE,
        order.listing,
        order.buyer,
    )
    assert deal.amount_vnd == order.amount_vnd
    stored = StripeEvent.objects.get()
    assert (stored.event_id, stored.type, stored.order, stored.outcome) == (
        event["id"],
        "checkout.session.completed",
        order,
        "fulfilled",
    )
    assert stored.payload == event
    assert stored.processed_at is not None
    assert ModelLogEntry.objects.filter(
        action="tech_exchange.order_paid", object_id=str(order.pk)
    ).exists()
    told = set(Notification.objects.values_list("recipient", "url"))
    receipt = f"/me/orders/{order.reference}/"
    assert told == {(order.buyer_id, receipt), (order.seller_id, receipt)}


def test_paying_to_feature_adds_thirty_days_from_today_or_from_the_current_end(client, checkout):
    listing = make_listing()
    today = timezone.localdate()

    first = payments.order_for_feature(user=listing.owner, listing=listing)
    delivered(client, session_event(first))
    listing.refresh_from_db()
    assert listing.featured_until == today + timedelta(days=FEATURE_DAYS)
    assert listing.is_featured

    second = payments.order_for_feature(user=listing.owner, listing=listing)
    delivered(client, session_event(second))
    listing.refresh_from_db()
    assert listing.featured_until == today + timedelta(days=2 * FEATURE_DAYS)
    assert (
        ModelLogEntry.objects.filter(
            action="tech_exchange.featured", object_id=str(listing.pk)
        ).count()
        == 2
    )
    assert not Deal.objects.exists()


def test_featuring_after_a_past_feature_starts_today(client, checkout):
    listing = make_listing()
    Listing.objects.filter(pk=listing.pk).update(
        featured_until=timezone.localdate() - timedelta(days=10)
    )
    order = payments.order_for_feature(user=listing.owner, listing=listing)
    delivered(client, session_event(order))
    listing.refresh_from_db()
    assert listing.featured_until == timezone.localdate() + timedelta(days=FEATURE_DAYS)


def test_paying_a_negotiated_deal_marks_it_paid_and_records_no_second_deal(client, checkout):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL, amount=300_000_000)
    order = payments.order_for_deal(user=enquiry.sender, enquiry=enquiry)
    assert Deal.objects.count() == 1

    delivered(client, session_event(order))

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Deal.objects.get().source == DealSource.NEGOTIATED
    assert payments.deal_payment(enquiry) == order


# --- delayed payment methods -------------------------------------------------------------------


def test_an_unpaid_completion_waits_for_the_async_success(client, order):
    answer = delivered(client, session_event(order, payment_status="unpaid"))
    assert answer["outcome"] == "processing"
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING
    assert not Deal.objects.exists()

    answer = delivered(client, session_event(order, payments.ASYNC_SUCCEEDED))
    assert answer["outcome"] == "fulfilled"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Deal.objects.count() == 1


def test_an_async_failure_fails_the_order(client, order):
    delivered(client, session_event(order, payment_status="unpaid"))
    answer = delivered(client, session_event(order, payments.ASYNC_FAILED, payment_status="unpaid"))
    assert answer["outcome"] == "failed"
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED
    assert not Deal.objects.exists()


def test_an_expired_checkout_expires_the_order(client, order):
    answer = delivered(client, session_event(order, payments.EXPIRED, payment_status="unpaid"))
    assert answer["outcome"] == "expired"
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert not Deal.objects.exists()


# --- duplicates and events out of order --------------------------------------------------------


def test_a_second_delivery_of_an_event_changes_nothing(client, order):
    event = session_event(order)
    delivered(client, event)
    before = state(order)

    answer = delivered(client, event)

    assert answer == {"received": True, "duplicate": True, "outcome": "fulfilled"}
    assert state(order) == before
    assert StripeEvent.objects.count() == 1
    assert Deal.objects.count() == 1


def test_a_second_success_event_for_a_paid_order_changes_nothing(client, order):
    delivered(client, session_event(order))
    before = state(order)
    answer = delivered(client, session_event(order, payments.ASYNC_SUCCEEDED))
    assert answer["outcome"] == "ignored: order paid"
    assert state(order) == {**before, "events": before["events"] + 1}


@pytest.mark.parametrize("late", [payments.ASYNC_FAILED, payments.EXPIRED])
def test_a_failure_after_success_changes_nothing(client, order, late):
    delivered(client, session_event(order))
    before = state(order)

    answer = delivered(client, session_event(order, late, payment_status="unpaid"))

    assert answer["outcome"] == "ignored: order paid"
    assert state(order) == {**before, "events": before["events"] + 1}
    assert StripeEvent.objects.get(type=late).order == order


def test_a_success_after_the_refund_changes_nothing(client, order):
    delivered(client, session_event(order, payment_status="unpaid"))
    delivered(client, refund_event(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    before = state(order)

    answer = delivered(client, session_event(order, payments.ASYNC_SUCCEEDED))

    assert answer["outcome"] == "ignored: order refunded"
    assert state(order) == {**before, "events": before["events"] + 1}
    assert not Deal.objects.exists()


def test_a_refund_seen_before_the_payment_leaves_nothing_to_fulfil(client, order):
    delivered(client, refund_event(order))
    delivered(client, session_event(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert not Deal.objects.exists()


# --- refunds -----------------------------------------------------------------------------------


def test_a_refund_removes_the_purchase_deal(client, order):
    delivered(client, session_event(order))
    assert Deal.objects.count() == 1
    Notification.objects.all().delete()

    answer = delivered(client, refund_event(order))

    assert answer["outcome"] == "refunded"
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert order.refunded_at is not None
    assert not Deal.objects.exists()
    entry = ModelLogEntry.objects.get(action="tech_exchange.order_refunded")
    assert entry.object_id == str(order.pk)
    assert "deal_removed" in entry.data
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        order.buyer_id,
        order.seller_id,
    }


def test_a_refund_takes_the_thirty_days_back(client, checkout):
    listing = make_listing()
    later = timezone.localdate() + timedelta(days=5)
    Listing.objects.filter(pk=listing.pk).update(featured_until=later)
    order = payments.order_for_feature(user=listing.owner, listing=listing)
    delivered(client, session_event(order))
    listing.refresh_from_db()
    assert listing.featured_until == later + timedelta(days=FEATURE_DAYS)

    delivered(client, refund_event(order))

    listing.refresh_from_db()
    assert listing.featured_until == later


def test_a_refunded_feature_ends_when_its_days_would_be_in_the_past(client, checkout):
    listing = make_listing()
    order = payments.order_for_feature(user=listing.owner, listing=listing)
    delivered(client, session_event(order))
    # Ten days later the thirty days minus the refund would end before today.
    Listing.objects.filter(pk=listing.pk).update(
        featured_until=timezone.localdate() + timedelta(days=FEATURE_DAYS - 10)
    )
    delivered(client, refund_event(order))
    listing.refresh_from_db()
    assert listing.featured_until is None
    assert not listing.is_featured


def test_a_refunded_deal_payment_keeps_the_agreed_deal(client, checkout):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL)
    order = payments.order_for_deal(user=enquiry.sender, enquiry=enquiry)
    delivered(client, session_event(order))
    delivered(client, refund_event(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Deal.objects.get().enquiry == enquiry


def test_a_partial_refund_keeps_the_order_paid_and_notes_it(client, order):
    delivered(client, session_event(order))
    answer = delivered(client, refund_event(order, refunded=10_000_000))
    assert answer["outcome"] == "partial_refund"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert "10.000.000" in order.problem
    assert Deal.objects.count() == 1


def test_a_refund_is_matched_by_payment_intent_when_the_charge_has_no_metadata(client, order):
    delivered(client, session_event(order, payment_intent="pi_test_77"))
    delivered(client, refund_event(order, payment_intent="pi_test_77", metadata=False))
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED


# --- amount and currency -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency"),
    [(1_500_000, "vnd"), (150_000_000_00, "vnd"), (150_000_000, "usd")],
)
def test_a_payment_that_does_not_match_the_order_is_held_and_staff_are_alerted(
    client, order, amount, currency
):
    make_user(Role.DEPARTMENT_STAFF)
    Notification.objects.all().delete()

    answer = delivered(client, session_event(order, amount=amount, currency=currency))

    assert answer["outcome"] == "mismatch"
    order.refresh_from_db()
    assert order.status == OrderStatus.MISMATCH
    assert (order.paid_amount, order.paid_currency) == (amount, currency)
    assert str(amount) in order.problem and currency.upper() in order.problem
    assert order.paid_at is None
    assert not Deal.objects.exists()
    staff = set(role_holders(Role.DEPARTMENT_STAFF))
    alerts = Notification.objects.select_related("recipient")
    assert len(staff) == 2  # the one who published the listing, and another
    assert {alert.recipient for alert in alerts} == staff
    assert {alert.url for alert in alerts} == {"/admin/technologies/orders/?status=mismatch"}
    assert StripeEvent.objects.get().outcome == "mismatch"


def test_an_async_success_with_the_wrong_amount_is_held(client, order):
    delivered(client, session_event(order, payment_status="unpaid"))
    delivered(client, session_event(order, payments.ASYNC_SUCCEEDED, amount=1))
    order.refresh_from_db()
    assert order.status == OrderStatus.MISMATCH
    assert not Deal.objects.exists()


def test_a_held_payment_can_be_refunded(client, order):
    delivered(client, session_event(order, amount=1))
    refund = refund_event(order)
    # Staff refund what was actually charged: the whole charge of 1 VND.
    refund["data"]["object"].update(amount=1, amount_refunded=1, refunded=True)
    assert delivered(client, refund)["outcome"] == "refunded"
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert not Deal.objects.exists()


# --- refusals ----------------------------------------------------------------------------------


def test_an_event_for_an_unknown_order_is_stored_and_changes_nothing(client, order):
    before = state(order)
    event = session_event(order, reference="6f1d0b1e-3c1a-4f8e-9c61-0d5a2b7e9f10")

    answer = delivered(client, event)

    assert answer["outcome"] == "unknown_order"
    assert state(order) == {**before, "events": before["events"] + 1}
    stored = StripeEvent.objects.get()
    assert (stored.event_id, stored.order, stored.outcome) == (event["id"], None, "unknown_order")


def test_an_event_with_a_malformed_reference_names_no_order(client, order):
    answer = delivered(client, session_event(order, reference="not-a-uuid"))
    assert answer["outcome"] == "unknown_order"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_an_event_type_the_portal_does_not_handle_is_stored_and_ignored(client, order):
    event = session_event(order)
    event["type"] = "payment_intent.created"
    assert delivered(client, event)["outcome"] == "ignored"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def refused(client, order, response):
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    assert not Deal.objects.exists()


def test_an_unsigned_webhook_is_refused(client, order):
    refused(client, order, post_event(client, session_event(order), header=""))


def test_a_webhook_signed_with_another_secret_is_refused(client, order):
    refused(client, order, post_event(client, session_event(order), secret="whsec_someone_else"))


def test_a_tampered_webhook_is_refused(client, order):
    event = session_event(order)
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_test_portal")
    event["data"]["object"]["amount_total"] = 1
    refused(client, order, post_event(client, event, header=header))


def test_a_stale_webhook_outside_the_tolerance_is_refused(client, order):
    stale = int(time.time()) - 301
    refused(client, order, post_event(client, session_event(order), timestamp=stale))


def test_a_webhook_within_the_tolerance_is_accepted(client, order):
    recent = int(time.time()) - 200
    assert post_event(client, session_event(order), timestamp=recent).status_code == 200


def test_a_signed_payload_that_is_not_an_event_is_refused(client, order):
    for payload in ([1, 2], {"id": "evt_1"}, {"id": "evt_1", "type": "x", "data": []}):
        refused(client, order, post_event(client, payload))


def test_the_webhook_takes_only_posts(client, stripe_keys):
    assert client.get(WEBHOOK).status_code == 405


def test_without_keys_the_webhook_is_unavailable_and_changes_nothing(client, order, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = post_event(client, session_event(order))
    assert response.status_code == 503
    assert not StripeEvent.objects.exists()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_the_webhook_needs_no_csrf_token(order, stripe_keys):
    strict = Client(enforce_csrf_checks=True)
    assert post_event(strict, session_event(order)).status_code == 200


def test_the_event_and_its_change_are_one_transaction(client, order, monkeypatch):
    """A failure while fulfilling stores no event, so Stripe's retry is processed afresh."""

    def broken(**kwargs):
        raise RuntimeError("database trouble")

    monkeypatch.setattr(payments, "deal_record", broken)
    client.raise_request_exception = False
    assert post_event(client, session_event(order)).status_code == 500
    assert not StripeEvent.objects.exists()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING

    monkeypatch.undo()
    assert delivered(client, session_event(order))["outcome"] == "fulfilled"
