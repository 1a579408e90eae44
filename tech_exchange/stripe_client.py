"""The only door to Stripe: creating Checkout Sessions and verifying webhooks, with the keys from
settings. Everything else works with plain dicts, so tests stub these two functions and never
reach the network."""

import logging

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)


class PaymentProviderError(Exception):
    """Stripe could not be reached or refused the request; the message is for the logs."""


class InvalidWebhook(Exception):
    """A webhook that is unsigned, wrongly signed, too old or not JSON."""


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def create_checkout_session(params: dict, idempotency_key: str) -> dict:
    """Creates a Checkout Session; a repeated call with the same key gets the same Session."""
    client = stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2)
    try:
        session = client.v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as error:
        raise PaymentProviderError(str(error)) from error
    return session.to_dict()


def construct_event(payload: bytes, signature: str) -> dict:
    """The event of a webhook whose signature and timestamp check out, as a plain dict."""
    try:
        event = stripe.Webhook.construct_event(
            payload,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE,
        )
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise InvalidWebhook(str(error)) from error
    except AttributeError as error:
        # Signed, but JSON that is not an object (Stripe's parser expects one).
        raise InvalidWebhook("the payload is not a JSON object") from error
    return event.to_dict()
