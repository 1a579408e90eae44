"""Payments on /me/: the latest orders on the user's workspace overview."""

from wagtail import hooks

from portal.core.views import panel_records

from .payment_views import STATUS_BADGES
from .payments import orders_of


@hooks.register("portal_workspace_panels")
def my_orders_panel(request):
    """The latest orders, for accounts that have any."""
    orders, more = panel_records(orders_of(request.user), STATUS_BADGES)
    if not orders:
        return []
    for order in orders:
        order.is_purchase = order.buyer_id == request.user.pk
    return [{"template": "tech_exchange/payments/panel.html", "orders": orders, "more": more}]
