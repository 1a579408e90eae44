"""The department's read-only list of every order in the admin (filters, search, CSV/XLSX
export), in the "Technology exchange" menu group."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView

from portal.core.admin import (
    AnyChoiceFilter,
    DepartmentStaffPolicy,
    ListingOnlyViewSet,
    LocalisedExportMixin,
    MoneyColumn,
)

from .models import Order, OrderKind, OrderStatus

DepartmentStaffPolicy.register(Order)


class OrderFilterSet(WagtailFilterSet):
    status = AnyChoiceFilter(label=_("Status"), choices=OrderStatus.choices)
    kind = AnyChoiceFilter(label=_("Kind"), choices=OrderKind.choices)

    class Meta:
        model = Order
        fields = ["status", "kind"]


class OrderIndexView(LocalisedExportMixin, IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("listing", "buyer", "seller")
            .order_by("-created_at", "-pk")
        )

    def get_edit_url(self, instance):
        # The receipt, which staff may open: it shows the Stripe references and any problem.
        return reverse("orders:receipt", args=[instance.reference])


class OrderViewSet(ListingOnlyViewSet):
    model = Order
    icon = "tag"
    menu_label = _("Orders")
    index_view_class = OrderIndexView
    filterset_class = OrderFilterSet
    list_display = [
        "description",
        Column("buyer", label=_("Buyer")),
        MoneyColumn("amount_vnd", label=_("Amount"), sort_key="amount_vnd"),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        Column("paid_at", label=_("Paid at"), sort_key="paid_at"),
        Column("created_at", label=_("Ordered on"), sort_key="created_at"),
    ]
    # Codes rather than labels for status and kind: they sort and filter well in a spreadsheet.
    list_export = [
        "reference",
        "kind",
        "listing.title",
        "buyer.email",
        "seller.email",
        "amount_vnd",
        "currency",
        "status",
        "paid_amount",
        "paid_currency",
        "paid_at",
        "refunded_at",
        "stripe_session_id",
        "stripe_payment_intent",
        "problem",
        "created_at",
    ]
    export_headings = {
        "reference": _("Order reference"),
        "kind": _("Kind"),
        "listing.title": _("Listing"),
        "buyer.email": _("Buyer"),
        "seller.email": _("Seller"),
        "amount_vnd": _("Amount (VND)"),
        "currency": _("Currency"),
        "status": _("Status"),
        "paid_amount": _("Amount paid (Stripe)"),
        "paid_currency": _("Currency paid"),
        "paid_at": _("Paid at"),
        "refunded_at": _("Refunded at"),
        "stripe_session_id": _("Stripe Checkout Session"),
        "stripe_payment_intent": _("Stripe payment reference"),
        "problem": _("Problem"),
        "created_at": _("Ordered on"),
    }
    export_filename = "technology-orders"
    search_fields = ["description", "buyer__email", "stripe_payment_intent", "stripe_session_id"]
