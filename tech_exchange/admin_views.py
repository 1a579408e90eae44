"""The department's side of the technology exchange in the Wagtail admin: the listings queue and
the review page (publish, or return with a note), the enquiries with their answer deadlines, and
the deals they ended in.

The admin only reads; every decision goes through the services, so the rules, the audit log and
the notifications are the same as everywhere else.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.core.admin import (
    AnyChoiceFilter,
    DepartmentStaffPolicy,
    ListingOnlyViewSet,
    MoneyColumn,
    QueueIndexView,
)
from portal.core.exceptions import PortalError
from portal.core.forms import show_refusal
from startups.models import Sector

from . import permissions, services, workflow
from .admin_forms import ReviewForm
from .admin_orders import OrderViewSet
from .models import (
    TRL_LABELS,
    Deal,
    DealSource,
    Enquiry,
    EnquiryStatus,
    Kind,
    Listing,
    ListingStatus,
    OwnerType,
)

DepartmentStaffPolicy.register(Listing, Enquiry, Deal)

REVIEW_URL_NAME = "tech_exchange_listing_review"
WAITING = "waiting"


def _review_url(listing_id: int) -> str:
    return reverse(REVIEW_URL_NAME, args=[listing_id])


class AnswerDueColumn(Column):
    """An enquiry's answer deadline, flagged once it has passed unanswered."""

    cell_template_name = "tech_exchange/admin/answer_due_cell.html"


# --- listings --------------------------------------------------------------------------------


class ListingFilterSet(WagtailFilterSet):
    status = AnyChoiceFilter(label=gettext_lazy("Status"), choices=ListingStatus.choices)
    kind = AnyChoiceFilter(label=gettext_lazy("Kind"), choices=Kind.choices)
    sector = AnyChoiceFilter(label=gettext_lazy("Sector"), choices=Sector.choices)
    trl = AnyChoiceFilter(
        label=gettext_lazy("TRL"),
        choices=[(str(level), label) for level, label in TRL_LABELS.items()],
    )
    owner_type = AnyChoiceFilter(label=gettext_lazy("Type of owner"), choices=OwnerType.choices)

    class Meta:
        model = Listing
        fields = ["status", "kind", "sector", "trl", "owner_type"]


class ListingQueueView(QueueIndexView):
    """Opens on the listings waiting for review, the longest waiting first; the status filter
    shows the rest."""

    default_filters = {"status": ListingStatus.UNDER_REVIEW}

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("owner").order_by("updated_at", "pk")

    def get_edit_url(self, instance):
        return _review_url(instance.pk)


class ListingViewSet(ListingOnlyViewSet):
    model = Listing
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Listings")
    index_view_class = ListingQueueView
    filterset_class = ListingFilterSet
    list_display = [
        "title",
        "owner_organisation",
        "kind",
        "sector",
        Column("trl", label=gettext_lazy("TRL"), sort_key="trl"),
        "status",
        DateColumn("updated_at", label=gettext_lazy("Last change"), sort_key="updated_at"),
        DateColumn("expires_on", label=gettext_lazy("Expires on"), sort_key="expires_on"),
    ]
    list_export = [
        "pk",
        "title",
        "get_kind_display",
        "owner_organisation",
        "get_owner_type_display",
        "owner.email",
        "get_sector_display",
        "trl",
        "get_ip_status_display",
        "ip_number",
        "ip_jurisdiction",
        "ip_filed_on",
        "ip_expires_on",
        "get_licensing_model_display",
        "get_price_type_display",
        "price_vnd",
        "get_status_display",
        "published_at",
        "expires_on",
    ]
    export_headings = {
        "pk": gettext_lazy("Listing"),
        "title": gettext_lazy("Title"),
        "get_kind_display": gettext_lazy("Kind"),
        "owner_organisation": gettext_lazy("Owner organisation"),
        "get_owner_type_display": gettext_lazy("Type of owner"),
        "owner.email": gettext_lazy("Owner's account"),
        "get_sector_display": gettext_lazy("Sector"),
        "trl": gettext_lazy("TRL"),
        "get_ip_status_display": gettext_lazy("IP status"),
        "ip_number": gettext_lazy("Patent / utility solution number"),
        "ip_jurisdiction": gettext_lazy("Jurisdiction"),
        "ip_filed_on": gettext_lazy("Filing date"),
        "ip_expires_on": gettext_lazy("IP expiry date"),
        "get_licensing_model_display": gettext_lazy("Licensing model"),
        "get_price_type_display": gettext_lazy("Price"),
        "price_vnd": gettext_lazy("Price (VND)"),
        "get_status_display": gettext_lazy("Status"),
        "published_at": gettext_lazy("Published at"),
        "expires_on": gettext_lazy("Expires on"),
    }
    export_filename = "technology-listings"
    search_fields = ["title", "owner_organisation", "summary"]


class ListingReviewView(WagtailAdminTemplateMixin, FormView):
    """The whole listing with its documents, images, enquiries and history; a listing under
    review is published, or returned to its owner with a note."""

    template_name = "tech_exchange/admin/listing_review.html"
    form_class = ReviewForm
    header_icon = "doc-full-inverse"

    def dispatch(self, request, pk):
        if not permissions.can_review_listings(request.user):
            raise PermissionDenied
        self.listing = get_object_or_404(Listing.objects.select_related("owner"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Listing: %(title)s") % {"title": self.listing.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("tech_exchange_admin_listings:index"), "label": _("Listings")},
            {"url": "", "label": self.listing.title},
        ]

    def get_context_data(self, **kwargs):
        listing = self.listing
        steps = list(listing.steps.select_related("actor"))
        for step in steps:
            step.actor_label = step.actor.email if step.actor else _("the portal")
        return super().get_context_data(
            listing=listing,
            trl_label=TRL_LABELS.get(listing.trl, listing.trl),
            can_decide=listing.status == ListingStatus.UNDER_REVIEW,
            documents=listing.documents.select_related("file"),
            images=listing.images.all(),
            enquiries=listing.enquiries.select_related("sender").order_by("-created_at", "-pk"),
            deals=listing.deals.select_related("buyer"),
            steps=steps,
            **kwargs,
        )

    def form_valid(self, form):
        user, listing = self.request.user, self.listing
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == ReviewForm.PUBLISH:
                listing = services.listing_publish(user=user, listing=listing, note=note)
                text = _("“%(title)s” is published until %(date)s.") % {
                    "title": listing.title,
                    "date": listing.expires_on.strftime("%d/%m/%Y"),
                }
            else:
                listing = services.listing_return(user=user, listing=listing, note=note)
                text = _("“%(title)s” is returned to its owner.") % {"title": listing.title}
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, text)
        return redirect("tech_exchange_admin_listings:index")


# --- enquiries -------------------------------------------------------------------------------


def _overdue() -> Q:
    return Q(status=EnquiryStatus.OPEN, answer_due_at__lt=timezone.now())


class EnquiryFilterSet(WagtailFilterSet):
    status = AnyChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[
            (WAITING, gettext_lazy("Waiting: not answered or in negotiation")),
            *EnquiryStatus.choices,
        ],
        method="filter_status",
    )
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Answer overdue"), method="filter_overdue"
    )

    class Meta:
        model = Enquiry
        fields = ["status", "overdue"]

    def filter_status(self, queryset, name, value):
        statuses = workflow.OPEN_ENQUIRIES if value == WAITING else [value]
        return queryset.filter(status__in=statuses)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(_overdue()) if value else queryset.exclude(_overdue())


def _sender(enquiry) -> str:
    sender = str(enquiry.sender)
    return f"{sender} ({enquiry.organisation})" if enquiry.organisation else sender


def _yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


class EnquiryQueueView(QueueIndexView):
    """Opens on the enquiries still waiting on an owner, the nearest deadline first."""

    default_filters = {"status": WAITING}
    custom_field_preprocess = {
        "is_overdue": {QueueIndexView.FORMAT_CSV: _yes_no, QueueIndexView.FORMAT_XLSX: _yes_no}
    }

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("listing", "sender")
            .order_by("answer_due_at", "pk")
        )

    def get_edit_url(self, instance):
        return _review_url(instance.listing_id) + "#enquiries"


class EnquiryViewSet(ListingOnlyViewSet):
    model = Enquiry
    icon = "mail"
    menu_label = gettext_lazy("Enquiries")
    index_view_class = EnquiryQueueView
    filterset_class = EnquiryFilterSet
    list_display = [
        TitleColumn(
            "listing",
            label=gettext_lazy("Listing"),
            accessor="listing.title",
            sort_key="listing__title",
            get_url=lambda enquiry: _review_url(enquiry.listing_id) + "#enquiries",
        ),
        Column("owner", label=gettext_lazy("Owner"), accessor="listing.owner_organisation"),
        Column("sender", label=gettext_lazy("Sent by"), accessor=_sender),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=gettext_lazy("Sent on"), sort_key="created_at"),
        AnswerDueColumn(
            "answer_due_at", label=gettext_lazy("Answer due by"), sort_key="answer_due_at"
        ),
        DateColumn("answered_at", label=gettext_lazy("Answered on"), sort_key="answered_at"),
    ]
    list_export = [
        "pk",
        "listing.title",
        "listing.owner_organisation",
        "sender.email",
        "organisation",
        "get_status_display",
        "created_at",
        "answer_due_at",
        "answered_at",
        "is_overdue",
        "get_decline_reason_display",
        "agreed_amount_vnd",
    ]
    export_headings = {
        "pk": gettext_lazy("Enquiry"),
        "listing.title": gettext_lazy("Listing"),
        "listing.owner_organisation": gettext_lazy("Owner"),
        "sender.email": gettext_lazy("Sender's account"),
        "organisation": gettext_lazy("Sender's organisation"),
        "get_status_display": gettext_lazy("Status"),
        "created_at": gettext_lazy("Sent at"),
        "answer_due_at": gettext_lazy("Answer due by"),
        "answered_at": gettext_lazy("Answered at"),
        "is_overdue": gettext_lazy("Overdue"),
        "get_decline_reason_display": gettext_lazy("Decline reason"),
        "agreed_amount_vnd": gettext_lazy("Agreed amount (VND)"),
    }
    export_filename = "technology-enquiries"
    search_fields = ["listing__title", "listing__owner_organisation", "organisation"]


# --- deals -----------------------------------------------------------------------------------


class DealFilterSet(WagtailFilterSet):
    sector = AnyChoiceFilter(label=gettext_lazy("Sector"), choices=Sector.choices)
    source = AnyChoiceFilter(label=gettext_lazy("Source"), choices=DealSource.choices)

    class Meta:
        model = Deal
        fields = ["sector", "source"]


class DealIndexView(QueueIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("listing", "buyer")
            .order_by("-concluded_at", "-pk")
        )

    def get_edit_url(self, instance):
        return _review_url(instance.listing_id)


class DealViewSet(ListingOnlyViewSet):
    model = Deal
    icon = "success"
    menu_label = gettext_lazy("Deals")
    index_view_class = DealIndexView
    filterset_class = DealFilterSet
    list_display = [
        TitleColumn(
            "listing",
            label=gettext_lazy("Listing"),
            accessor="listing.title",
            sort_key="listing__title",
            get_url=lambda deal: _review_url(deal.listing_id),
        ),
        Column("owner", label=gettext_lazy("Owner"), accessor="listing.owner_organisation"),
        Column("buyer", label=gettext_lazy("Buyer"), accessor="buyer"),
        Column("source", label=gettext_lazy("Source"), accessor="get_source_display"),
        MoneyColumn("amount_vnd", label=gettext_lazy("Value"), sort_key="amount_vnd"),
        Column("sector", label=gettext_lazy("Sector"), accessor="get_sector_display"),
        Column("trl", label=gettext_lazy("TRL"), sort_key="trl"),
        DateColumn("concluded_at", label=gettext_lazy("Concluded on"), sort_key="concluded_at"),
    ]
    list_export = [
        "pk",
        "listing.title",
        "listing.owner_organisation",
        "buyer.email",
        "get_source_display",
        "amount_vnd",
        "get_sector_display",
        "trl",
        "get_licensing_model_display",
        "concluded_at",
    ]
    export_headings = {
        "pk": gettext_lazy("Deal"),
        "listing.title": gettext_lazy("Listing"),
        "listing.owner_organisation": gettext_lazy("Owner"),
        "buyer.email": gettext_lazy("Buyer's account"),
        "get_source_display": gettext_lazy("Source"),
        "amount_vnd": gettext_lazy("Value (VND)"),
        "get_sector_display": gettext_lazy("Sector"),
        "trl": gettext_lazy("TRL"),
        "get_licensing_model_display": gettext_lazy("Licensing model"),
        "concluded_at": gettext_lazy("Concluded at"),
    }
    export_filename = "technology-deals"
    search_fields = ["listing__title", "listing__owner_organisation"]


class ExchangeViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Technology exchange")
    menu_icon = "link"
    menu_order = 230
    items = (
        ListingViewSet("tech_exchange_admin_listings", url_prefix="technologies/listings"),
        EnquiryViewSet("tech_exchange_admin_enquiries", url_prefix="technologies/enquiries"),
        DealViewSet("tech_exchange_admin_deals", url_prefix="technologies/deals"),
        OrderViewSet("tech_exchange_admin_orders", url_prefix="technologies/orders"),
    )


admin_urls = [
    path(
        "technologies/listings/<int:pk>/",
        ListingReviewView.as_view(),
        name=REVIEW_URL_NAME,
    ),
]
