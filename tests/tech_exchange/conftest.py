"""Shared by the exchange's tests: a published exchange to search (`exchange`), and Stripe
stubbed for the payment, webhook and order tests, so that no test reaches Stripe; the tests that
pay ask for `no_network`, which fails any connection out of the process."""

import json
import socket
import uuid

import pytest
import stripe
from django.utils import timezone

from tech_exchange import payments, stripe_client
from tech_exchange.models import ListingStatus, Order
from tests.factories import make_user
from tests.factories.tech_exchange import make_listing

SECRET_KEY = "sk_test_portal"
WEBHOOK_SECRET = "whsec_test_portal"
WEBHOOK = "/payments/stripe/webhook/"
SUCCESS = "https://portal.example.org/payments/orders/{}/done/"
CANCEL = "https://portal.example.org/payments/orders/{}/cancelled/"


@pytest.fixture
def no_network(monkeypatch):
    """Any connection out of the process (to Stripe or elsewhere) fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_WEBHOOK_TOLERANCE = 300
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    return settings


class CheckoutStub:
    """Stands in for `stripe_client.create_checkout_session` and records each call."""

    def __init__(self):
        self.calls: list[tuple[dict, str]] = []
        self.error: Exception | None = None

    def __call__(self, params: dict, idempotency_key: str) -> dict:
        self.calls.append((params, idempotency_key))
        if self.error is not None:
            raise self.error
        session_id = f"cs_test_{len(self.calls)}"
        return {"id": session_id, "url": f"https://checkout.stripe.com/c/pay/{session_id}"}


@pytest.fixture
def checkout(monkeypatch, stripe_keys):
    stub = CheckoutStub()
    monkeypatch.setattr(stripe_client, "create_checkout_session", stub)
    return stub


def start(order: Order) -> str:
    return payments.checkout_start(
        order=order,
        success_url=SUCCESS.format(order.reference),
        cancel_url=CANCEL.format(order.reference),
    )


def session_event(
    order: Order,
    event_type: str = payments.COMPLETED,
    *,
    event_id: str | None = None,
    amount: int | None = None,
    currency: str = "vnd",
    payment_status: str = "paid",
    payment_intent: str = "pi_test_1",
    reference: str | None = None,
) -> dict:
    """A Checkout Session event as Stripe sends it (the fields the portal reads)."""
    reference = str(order.reference) if reference is None else reference
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "type": event_type,
        "created": int(timezone.now().timestamp()),
        "data": {
            "object": {
                "id": order.stripe_session_id or "cs_test_1",
                "object": "checkout.session",
                "mode": "payment",
                "amount_total": order.amount_vnd if amount is None else amount,
                "currency": currency,
                "payment_status": payment_status,
                "payment_intent": payment_intent,
                "client_reference_id": reference,
                "metadata": {"order_reference": reference, "order_kind": order.kind},
            }
        },
    }


def refund_event(
    order: Order,
    *,
    event_id: str | None = None,
    refunded: int | None = None,
    payment_intent: str = "pi_test_1",
    metadata: bool = True,
) -> dict:
    """A `charge.refunded` event; the Charge carries the PaymentIntent's metadata."""
    amount_refunded = order.amount_vnd if refunded is None else refunded
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "type": payments.REFUNDED,
        "data": {
            "object": {
                "id": "ch_test_1",
                "object": "charge",
                "amount": order.amount_vnd,
                "amount_refunded": amount_refunded,
                "refunded": amount_refunded >= order.amount_vnd,
                "currency": "vnd",
                "payment_intent": payment_intent,
                "metadata": (
                    {"order_reference": str(order.reference), "order_kind": order.kind}
                    if metadata
                    else {}
                ),
            }
        },
    }


def post_event(client, event: dict, *, secret: str = WEBHOOK_SECRET, timestamp=None, header=None):
    """Posts `event` to the webhook, signed the way Stripe signs it."""
    payload = json.dumps(event)
    if header is None:
        header = stripe.WebhookSignature.generate_signature_header(
            payload, secret, timestamp=timestamp
        )
    headers = {"Stripe-Signature": header} if header else {}
    return client.post(WEBHOOK, data=payload, content_type="application/json", headers=headers)


def licence_order(buyer=None, **listing_fields) -> Order:
    listing = make_listing(**listing_fields)
    return payments.order_for_licence(user=buyer or make_user(), listing=listing)


# --- a published exchange -------------------------------------------------------------------

NO_IP = {"ip_number": "", "ip_jurisdiction": "", "ip_filed_on": None}
NEGOTIABLE = {"price_type": "negotiable", "price_vnd": None}


@pytest.fixture(name="exchange")
def exchange_fixture(django_capture_on_commit_callbacks):
    """Five published listings and one in every other status, indexed the way production
    indexes them: by the task queued after each commit (the test backend runs it at once)."""
    with django_capture_on_commit_callbacks(execute=True):
        air = make_listing(
            title="Cảm biến chất lượng không khí giá rẻ",
            summary="Cảm biến bụi mịn PM2.5 dùng mạng LoRa, chi phí thấp, lắp đặt nhanh.",
        )
        water = make_listing(
            title="Vật liệu nano xử lý nước thải dệt nhuộm",
            summary="Màng lọc nano loại bỏ thuốc nhuộm khỏi nước thải, tái sử dụng nước.",
            description="Màng gốm phủ nano TiO2, thử nghiệm tại làng nghề Vạn Phúc.",
            owner_organisation="Viện Hóa học",
            owner_type="institute",
            sector="cleantech",
            trl=4,
            ip_status="patent_pending",
            ip_number="1-2025-01234",
            licensing_model="exclusive",
            **NEGOTIABLE,
        )
        rice = make_listing(
            title="Giống lúa chịu mặn HN-68",
            summary="Giống lúa năng suất cao, chịu mặn tới 4 phần nghìn, gieo cấy hai vụ.",
            description="Đã khảo nghiệm tại ba tỉnh ven biển.",
            owner_organisation="Công ty Giống cây trồng Thăng Long",
            owner_type="enterprise",
            sector="agritech",
            trl=8,
            ip_status="know_how",
            licensing_model="assignment",
            **NO_IP,
            **NEGOTIABLE,
        )
        soil = make_listing(
            title="Cảm biến độ ẩm đất không dây",
            summary="Cảm biến đo độ ẩm đất, truyền dữ liệu không dây cho trang trại thông minh.",
            description="Pin dùng hai năm, lắp trong 5 phút.",
            owner_organisation="Đại học Nông nghiệp",
            sector="agritech",
            trl=5,
            licensing_model="research",
            price_vnd=30_000_000,
        )
        need = make_listing(
            kind="request",
            title="Cần cảm biến đo bụi mịn cho trường học",
            summary="Chúng tôi cần cảm biến bụi PM2.5 giá rẻ, kết nối không dây, cho 50 trường.",
            description="Lắp trong lớp học và sân trường, xem số liệu trên điện thoại.",
            owner_organisation="Công ty Trường Học Xanh",
            owner_type="startup",
            trl=7,
            ip_status="none",
            **NO_IP,
            **NEGOTIABLE,
        )
        hidden = {
            status: make_listing(status=status, title=f"Cảm biến ẩn {status}")
            for status in (
                ListingStatus.DRAFT,
                ListingStatus.UNDER_REVIEW,
                ListingStatus.CLOSED,
                ListingStatus.EXPIRED,
            )
        }
    return {
        "air": air,
        "water": water,
        "rice": rice,
        "soil": soil,
        "need": need,
        "hidden": hidden,
    }


NEWEST_FIRST = [
    "Cần cảm biến đo bụi mịn cho trường học",
    "Cảm biến độ ẩm đất không dây",
    "Giống lúa chịu mặn HN-68",
    "Vật liệu nano xử lý nước thải dệt nhuộm",
    "Cảm biến chất lượng không khí giá rẻ",
]
