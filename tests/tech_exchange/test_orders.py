"""Paying through the pages: the buttons other pages include, the buy/feature/pay-deal views,
the page Stripe sends the buyer back to, /me/orders/ with its receipts, and the staff list of all
orders in the admin. Stripe is stubbed (see conftest)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from portal.accounts.roles import Role
from tech_exchange import payments
from tech_exchange.models import EnquiryStatus, ListingStatus, Order, OrderStatus
from tests.conftest import count_queries, page, read_csv, read_xlsx
from tests.factories import english_admin_user, make_user, with_mfa
from tests.factories.tech_exchange import make_enquiry, make_listing
from tests.tech_exchange.conftest import (
    licence_order,
    post_event,
    refund_event,
    session_event,
    start,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]

ORDERS = "/en/me/orders/"
ADMIN_ORDERS = "/admin/technologies/orders/"
NOT_CONFIGURED = "Online payment is not configured on this server"


def receipt_url(order) -> str:
    return f"{ORDERS}{order.reference}/"


def done_url(order) -> str:
    return f"/en/payments/orders/{order.reference}/done/"


def paid_order(client, buyer=None, **listing_fields) -> Order:
    """A licence order paid through a signed webhook."""
    order = licence_order(buyer=buyer, **listing_fields)
    start(order)
    order.refresh_from_db()
    assert (
        post_event(client, session_event(order, payment_intent="pi_test_receipt")).status_code
        == 200
    )
    order.refresh_from_db()
    return order


def staff_user():
    return english_admin_user(Role.DEPARTMENT_STAFF)


# --- the buttons -------------------------------------------------------------------------------


def button(template: str, user, **context) -> str:
    request = RequestFactory().get("/en/technologies/some-listing/")
    request.user = user
    with translation.override("en"):
        return render_to_string(
            f"tech_exchange/payments/{template}", {"user": user, **context}, request=request
        )


def test_the_buy_button_posts_to_checkout(stripe_keys):
    listing = make_listing(price_vnd=1_500_000)
    html = button("buy_button.html", make_user(), listing=listing)
    assert f'action="/en/payments/licence/{listing.pk}/"' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "Buy the licence for 1.500.000 ₫" in html


def test_the_buy_button_explains_when_payments_are_not_configured(settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    html = button("buy_button.html", make_user(), listing=make_listing())
    assert NOT_CONFIGURED in html
    assert "<form" not in html


def test_the_buy_button_asks_anonymous_visitors_to_sign_in(stripe_keys):
    html = button("buy_button.html", AnonymousUser(), listing=make_listing())
    assert "Sign in to buy this licence" in html
    assert "/accounts/login/?next=/en/technologies/some-listing/" in html
    assert "<form" not in html


@pytest.mark.parametrize(
    ("listing_fields", "reason"),
    [
        ({"status": ListingStatus.CLOSED}, "not open for purchase"),
        ({"price_type": "negotiable", "price_vnd": None}, "not sold at a fixed price"),
        ({"licensing_model": "exclusive"}, "not sold at a fixed price"),
    ],
)
def test_the_buy_button_says_why_a_listing_cannot_be_bought(stripe_keys, listing_fields, reason):
    html = button("buy_button.html", make_user(), listing=make_listing(**listing_fields))
    assert reason in html
    assert "<form" not in html


def test_the_buy_button_tells_the_owner_it_is_their_listing(stripe_keys):
    listing = make_listing()
    html = button("buy_button.html", listing.owner, listing=listing)
    assert "This is your own listing" in html
    assert "<form" not in html


def test_the_buy_button_after_buying_links_to_the_orders(client, checkout):
    order = paid_order(client)
    html = button("buy_button.html", order.buyer, listing=order.listing)
    assert "You already bought this licence" in html
    assert f'href="{ORDERS}"' in html


def test_the_feature_button_is_for_the_owner_only(stripe_keys):
    listing = make_listing()
    html = button("feature_button.html", listing.owner, listing=listing)
    assert f'action="/en/payments/feature/{listing.pk}/"' in html
    assert "Feature this listing for 30 days (2.000.000 ₫)" in html
    assert button("feature_button.html", make_user(), listing=listing).strip() == ""
    assert button("feature_button.html", AnonymousUser(), listing=listing).strip() == ""


def test_the_feature_button_explains_when_payments_are_not_configured(settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    listing = make_listing()
    assert NOT_CONFIGURED in button("feature_button.html", listing.owner, listing=listing)


def test_the_pay_deal_button_is_for_the_buyer_and_shows_the_payment_once_made(client, checkout):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL, amount=300_000_000)
    html = button("pay_deal_button.html", enquiry.sender, enquiry=enquiry)
    assert f'action="/en/payments/deal/{enquiry.pk}/"' in html
    assert "Pay the agreed 300.000.000 ₫" in html
    owner_view = button("pay_deal_button.html", enquiry.listing.owner, enquiry=enquiry)
    assert "<form" not in owner_view and "has not paid" in owner_view

    order = payments.order_for_deal(user=enquiry.sender, enquiry=enquiry)
    post_event(client, session_event(order))
    for user in (enquiry.sender, enquiry.listing.owner):
        html = button("pay_deal_button.html", user, enquiry=enquiry)
        assert "<form" not in html
        assert "Paid" in html and receipt_url(order) in html


def test_the_pay_deal_button_explains_when_payments_are_not_configured(settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    enquiry = make_enquiry(status=EnquiryStatus.DEAL)
    assert NOT_CONFIGURED in button("pay_deal_button.html", enquiry.sender, enquiry=enquiry)


# --- buying ------------------------------------------------------------------------------------


def test_buying_sends_the_buyer_to_stripe_checkout(client, checkout):
    listing = make_listing()
    buyer = make_user()
    client.force_login(buyer)

    response = client.post(f"/en/payments/licence/{listing.pk}/")

    assert response.status_code == 302
    assert response.url == "https://checkout.stripe.com/c/pay/cs_test_1"
    order = Order.objects.get()
    assert (order.buyer, order.listing, order.status) == (buyer, listing, OrderStatus.PENDING)
    [(params, key)] = checkout.calls
    assert key == order.idempotency_key
    assert params["success_url"] == (
        f"https://portal.example.org/en/payments/orders/{order.reference}/done/"
    )
    assert params["cancel_url"] == (
        f"https://portal.example.org/en/payments/orders/{order.reference}/cancelled/"
    )


def test_clicking_buy_again_returns_to_the_same_checkout(client, checkout):
    listing = make_listing()
    client.force_login(make_user())
    first = client.post(f"/en/payments/licence/{listing.pk}/")
    second = client.post(f"/en/payments/licence/{listing.pk}/")
    assert first.url == second.url
    assert Order.objects.count() == 1 and len(checkout.calls) == 1


@pytest.mark.parametrize(
    ("case", "status", "message"),
    [
        ("own", 400, "This is your own listing: you cannot buy it."),
        ("closed", 409, "This listing is not open for purchase"),
        ("negotiable", 400, "not sold at a fixed price"),
    ],
)
def test_a_refused_purchase_says_why_and_changes_nothing(client, checkout, case, status, message):
    if case == "negotiable":
        listing = make_listing(price_type="negotiable", price_vnd=None)
    else:
        listing = make_listing(status=ListingStatus.CLOSED if case == "closed" else "published")
    client.force_login(listing.owner if case == "own" else make_user())

    response = client.post(
        f"/en/payments/licence/{listing.pk}/",
        headers={"referer": "http://testserver/en/technologies/x/"},
    )

    assert response.status_code == status
    assert message in page(response)
    assert "Nothing was changed." in page(response)
    assert 'href="http://testserver/en/technologies/x/"' in page(response)
    assert not Order.objects.exists()
    assert checkout.calls == []


def test_a_refusal_never_links_back_to_another_site(client, checkout):
    listing = make_listing(status=ListingStatus.CLOSED)
    client.force_login(make_user())
    response = client.post(
        f"/en/payments/licence/{listing.pk}/", headers={"referer": "https://evil.example/"}
    )
    assert "evil.example" not in page(response)
    assert f'href="{ORDERS}"' in page(response)


def test_buying_without_keys_explains_that_payments_are_not_configured(client, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    listing = make_listing()
    client.force_login(make_user())
    response = client.post(f"/en/payments/licence/{listing.pk}/")
    assert response.status_code == 503
    assert NOT_CONFIGURED in page(response)
    assert not Order.objects.exists()


def test_a_stripe_outage_is_explained_and_nothing_is_charged(client, checkout):
    from tech_exchange import stripe_client

    checkout.error = stripe_client.PaymentProviderError("connection reset")
    client.force_login(make_user())
    response = client.post(f"/en/payments/licence/{make_listing().pk}/")
    assert response.status_code == 502
    assert "Nothing was charged" in page(response)


def test_buying_needs_a_signed_in_user_and_a_post(client, checkout):
    listing = make_listing()
    response = client.post(f"/en/payments/licence/{listing.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(make_user())
    assert client.get(f"/en/payments/licence/{listing.pk}/").status_code == 405
    assert client.post("/en/payments/licence/999999/").status_code == 404
    assert not Order.objects.exists()


def test_the_enquiry_sender_pays_the_deal(client, checkout):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL, amount=120_000_000)
    client.force_login(enquiry.sender)
    response = client.post(f"/en/payments/deal/{enquiry.pk}/")
    assert response.status_code == 302
    assert Order.objects.get().amount_vnd == 120_000_000


@pytest.mark.parametrize("who", ["owner", "stranger"])
def test_nobody_else_pays_the_deal(client, checkout, who):
    enquiry = make_enquiry(status=EnquiryStatus.DEAL)
    client.force_login(enquiry.listing.owner if who == "owner" else make_user())
    response = client.post(f"/en/payments/deal/{enquiry.pk}/")
    assert response.status_code == 403
    assert "Only the buyer who sent the enquiry can pay this deal." in page(response)
    assert not Order.objects.exists()


def test_an_enquiry_without_a_deal_cannot_be_paid(client, checkout):
    enquiry = make_enquiry(status=EnquiryStatus.NEGOTIATING)
    client.force_login(enquiry.sender)
    response = client.post(f"/en/payments/deal/{enquiry.pk}/")
    assert response.status_code == 409
    assert "Only a deal with an agreed amount can be paid" in page(response)
    assert not Order.objects.exists()


def test_the_owner_pays_to_feature_and_nobody_else_can(client, checkout):
    listing = make_listing()
    client.force_login(make_user())
    assert client.post(f"/en/payments/feature/{listing.pk}/").status_code == 403
    assert not Order.objects.exists()
    client.force_login(listing.owner)
    assert client.post(f"/en/payments/feature/{listing.pk}/").status_code == 302
    assert Order.objects.get().kind == "feature"


# --- coming back from Stripe -------------------------------------------------------------------


def test_the_success_page_says_processing_until_the_webhook_confirms(client, checkout):
    order = licence_order()
    start(order)
    client.force_login(order.buyer)

    waiting = page(client.get(done_url(order)))
    assert "Payment processing" in waiting
    assert '<meta http-equiv="refresh" content="5">' in waiting
    assert "payment received" not in waiting
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING

    post_event(client, session_event(order, payment_status="unpaid"))
    still = page(client.get(done_url(order)))
    assert "Payment processing" in still and 'http-equiv="refresh"' in still

    post_event(client, session_event(order, payments.ASYNC_SUCCEEDED))
    confirmed = page(client.get(done_url(order)))
    assert "Thank you: payment received" in confirmed
    assert 'http-equiv="refresh"' not in confirmed
    assert receipt_url(order) in confirmed


def test_the_success_page_of_a_feature_says_until_when(client, checkout):
    listing = make_listing()
    order = payments.order_for_feature(user=listing.owner, listing=listing)
    post_event(client, session_event(order))
    listing.refresh_from_db()
    client.force_login(listing.owner)
    assert "Your listing is featured until" in page(client.get(done_url(order)))


def test_the_success_page_explains_a_failed_payment(client, checkout):
    order = licence_order()
    post_event(client, session_event(order, payment_status="unpaid"))
    post_event(client, session_event(order, payments.ASYNC_FAILED, payment_status="unpaid"))
    client.force_login(order.buyer)
    html = page(client.get(done_url(order)))
    assert "The payment failed and nothing was charged" in html
    assert 'http-equiv="refresh"' not in html


def test_the_cancel_page_offers_to_return_to_the_payment(client, checkout):
    order = licence_order()
    start(order)
    client.force_login(order.buyer)
    html = page(client.get(f"/en/payments/orders/{order.reference}/cancelled/"))
    assert "nothing was charged" in html
    assert 'href="https://checkout.stripe.com/c/pay/cs_test_1"' in html
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_another_users_order_pages_do_not_exist_for_them(client, checkout):
    order = licence_order()
    client.force_login(make_user())
    assert client.get(done_url(order)).status_code == 404
    assert client.get(f"/en/payments/orders/{order.reference}/cancelled/").status_code == 404
    client.logout()
    response = client.get(done_url(order))
    assert response.status_code == 302 and "/accounts/login/" in response.url


# --- my orders and receipts --------------------------------------------------------------------


def test_the_buyer_and_the_seller_see_the_order_and_others_do_not(client, checkout):
    order = paid_order(client)
    stranger = make_user()

    client.force_login(order.buyer)
    mine = page(client.get(ORDERS))
    assert receipt_url(order) in mine and order.listing.title in mine and "Buyer" in mine

    client.force_login(order.seller)
    sold = page(client.get(ORDERS))
    assert receipt_url(order) in sold and f"Seller: paid by {order.buyer}" in sold

    client.force_login(stranger)
    assert receipt_url(order) not in page(client.get(ORDERS))


def test_sellers_do_not_see_abandoned_checkouts(client, checkout):
    order = licence_order()
    client.force_login(order.seller)
    assert receipt_url(order) not in page(client.get(ORDERS))
    client.force_login(order.buyer)
    assert receipt_url(order) in page(client.get(ORDERS))


def test_the_receipt_shows_amount_date_what_and_the_stripe_reference(client, checkout):
    order = paid_order(client, price_vnd=1_500_000)
    client.force_login(order.buyer)
    html = page(client.get(receipt_url(order)))
    assert "Receipt" in html
    assert "1.500.000 ₫" in html
    assert "Licence purchase" in html and order.listing.title in html
    assert "pi_test_receipt" in html
    assert order.paid_at.strftime("%Y") in html
    assert str(order.reference) in html


def test_receipt_permissions(client, checkout):
    order = paid_order(client)
    url = receipt_url(order)
    for user, status in [
        (order.buyer, 200),
        (order.seller, 200),
        (staff_user(), 200),
        (make_user(), 404),
        (make_user(Role.PROVIDER), 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(order.buyer)
    assert client.get(f"{ORDERS}6f1d0b1e-3c1a-4f8e-9c61-0d5a2b7e9f10/").status_code == 404
    client.logout()
    for anonymous_url in (url, ORDERS):
        response = client.get(anonymous_url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_only_staff_see_the_problem_of_a_held_payment(client, checkout):
    order = licence_order()
    post_event(client, session_event(order, amount=1))
    client.force_login(order.buyer)
    buyer_view = page(client.get(receipt_url(order)))
    assert "is checking it and will contact you" in buyer_view
    assert "Nothing was fulfilled: check the payment" not in buyer_view
    client.force_login(staff_user())
    assert "Stripe báo đã thanh toán 1 VND" in page(client.get(receipt_url(order)))


def test_a_refunded_receipt_shows_the_refund(client, checkout):
    order = paid_order(client)
    post_event(client, refund_event(order))
    client.force_login(order.buyer)
    html = page(client.get(receipt_url(order)))
    assert "Refunded on" in html and "The payment was refunded." in html


def test_the_orders_list_has_a_constant_query_count(client, checkout):
    buyer = make_user()
    client.force_login(buyer)
    paid_order(client, buyer=buyer)
    client.force_login(buyer)
    few = count_queries(client, ORDERS)
    for _ in range(4):
        paid_order(client, buyer=buyer)
    enquiry = make_enquiry(sender=buyer, status=EnquiryStatus.DEAL)
    payments.order_for_deal(user=buyer, enquiry=enquiry)
    client.force_login(buyer)
    assert count_queries(client, ORDERS) == few


def test_the_workspace_overview_shows_the_latest_orders(client, checkout):
    order = paid_order(client)
    client.force_login(order.buyer)
    overview = page(client.get("/en/me/"))
    assert 'id="my-orders-heading"' in overview
    assert receipt_url(order) in overview
    client.force_login(make_user())
    assert 'id="my-orders-heading"' not in page(client.get("/en/me/"))


# --- the staff list in the admin ---------------------------------------------------------------


def test_staff_see_every_order_filtered_by_status_and_kind(client, checkout):
    paid = paid_order(client)
    pending = licence_order()
    listing = make_listing()
    feature = payments.order_for_feature(user=listing.owner, listing=listing)
    client.force_login(staff_user())

    everything = page(client.get(ADMIN_ORDERS))
    for order in (paid, pending, feature):
        assert order.description in everything
        assert receipt_url(order) in everything

    only_paid = page(client.get(ADMIN_ORDERS, {"status": "paid"}))
    assert paid.description in only_paid and pending.description not in only_paid

    only_features = page(client.get(ADMIN_ORDERS, {"kind": "feature"}))
    assert feature.description in only_features and paid.description not in only_features


def test_staff_export_orders_as_csv_and_xlsx(client, checkout):
    paid = paid_order(client)
    licence_order()
    client.force_login(staff_user())

    rows = read_csv(client.get(ADMIN_ORDERS, {"export": "csv", "status": "paid"}))
    assert len(rows) == 1
    [row] = rows
    assert row["Order reference"] == str(paid.reference)
    assert row["Status"] == "paid"
    assert row["Amount (VND)"] == str(paid.amount_vnd)
    assert row["Buyer"] == paid.buyer.email
    assert row["Stripe payment reference"] == "pi_test_receipt"

    rows = read_xlsx(client.get(ADMIN_ORDERS, {"export": "xlsx"}))
    assert len(rows) == 2
    assert {row["Order reference"] for row in rows} >= {str(paid.reference)}


def test_the_admin_order_list_is_for_department_staff_only(client, checkout):
    paid_order(client)
    client.force_login(with_mfa(make_user(Role.REVIEWER, language="en")))
    # Wagtail sends a user without the permission back to the admin's home page.
    response = client.get(ADMIN_ORDERS)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    client.force_login(make_user(language="en"))
    response = client.get(ADMIN_ORDERS)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.logout()
    assert client.get(ADMIN_ORDERS, {"export": "csv"}).status_code == 302


def test_the_admin_order_list_has_a_constant_query_count(client, checkout):
    paid_order(client)
    client.force_login(staff_user())
    few = count_queries(client, ADMIN_ORDERS)
    for _ in range(3):
        paid_order(client)
    assert count_queries(client, ADMIN_ORDERS) == few


def test_staff_are_not_offered_add_or_edit_forms(client, checkout):
    client.force_login(staff_user())
    assert client.get(f"{ADMIN_ORDERS}add/").status_code == 404


def test_the_pages_render_in_vietnamese_without_the_prefix(client, checkout):
    order = paid_order(client)
    client.force_login(order.buyer)
    for url in (ORDERS, receipt_url(order), done_url(order)):
        response = client.get(url.removeprefix("/en"))
        assert response.status_code == 200
        assert '<html lang="vi">' in page(response)
        assert "150.000.000 ₫" in page(response)
