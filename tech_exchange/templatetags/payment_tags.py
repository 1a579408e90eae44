"""What the payment buttons show: the button, or the reason the user cannot pay (the same
refusal the service would give)."""

from django import template
from django.conf import settings

from tech_exchange import payments
from tech_exchange.models import FEATURE_DAYS
from tech_exchange.payment_views import STATUS_BADGES

register = template.Library()


@register.simple_tag
def licence_purchase(user, listing) -> dict:
    return {"refusal": payments.licence_refusal(user, listing), "price": listing.price_vnd}


@register.simple_tag
def feature_purchase(user, listing) -> dict:
    return {
        "refusal": payments.feature_refusal(user, listing),
        "price": settings.FEATURE_PRICE_VND,
        "days": FEATURE_DAYS,
    }


@register.simple_tag
def deal_purchase(user, enquiry) -> dict:
    payment = payments.deal_payment(enquiry)
    if payment is not None:
        payment.badge = STATUS_BADGES[payment.status]
    return {
        "refusal": payments.deal_refusal(user, enquiry),
        "amount": enquiry.agreed_amount_vnd,
        "payment": payment,
    }
