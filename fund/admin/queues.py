"""The fund managers' queues: applications in the pipeline and tranches to disburse, with
filters, search and spreadsheet export. Each row opens the record's management page."""

import django_filters
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.models import IndexView

from portal.core.admin import (
    AnyChoiceFilter,
    DayColumn,
    ListingOnlyViewSet,
    LocalisedExportMixin,
    MoneyColumn,
    QueueIndexView,
)

from .. import selectors
from ..models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    CallPage,
    Instrument,
    Tranche,
    TrancheStatus,
)
from .access import FundManagerPolicy

FundManagerPolicy.register(Application, Tranche)

OPEN, CLOSED = "open", "closed"


def yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


YES_NO = {IndexView.FORMAT_CSV: yes_no, IndexView.FORMAT_XLSX: yes_no}


class DeadlineColumn(Column):
    """The service deadline of the current stage, flagged once it has passed."""

    cell_template_name = "fund/admin/deadline_cell.html"


# --- applications ----------------------------------------------------------------------------


class ApplicationFilterSet(WagtailFilterSet):
    status = AnyChoiceFilter(
        label=_("Status"),
        choices=[
            (OPEN, _("Open: waiting for the fund or the applicant")),
            (CLOSED, _("Decided or withdrawn")),
            *[(s.value, s.label) for s in ApplicationStatus if s != ApplicationStatus.DRAFT],
        ],
        method="filter_status",
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Call"), queryset=CallPage.objects.order_by("-opens_on"), empty_label=_("Any")
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    instrument = AnyChoiceFilter(label=_("Instrument"), choices=Instrument.choices)

    class Meta:
        model = Application
        fields = ["status", "call", "overdue", "instrument"]

    def filter_status(self, queryset, name, value):
        groups = {OPEN: OPEN_STATUSES, CLOSED: CLOSED_STATUSES}
        return queryset.filter(status__in=groups.get(value, [value]))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=OPEN_STATUSES, stage_due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ApplicationQueueView(QueueIndexView):
    """Opens on the applications in the pipeline, the most urgent deadline first."""

    default_filters = {"status": OPEN}
    custom_field_preprocess = {"is_overdue": YES_NO}

    def get_base_queryset(self):
        return selectors.pipeline_applications().order_by(
            F("stage_due_at").asc(nulls_last=True), "-submitted_at", "-pk"
        )

    def get_edit_url(self, instance):
        return reverse("fund_admin_application", args=[instance.pk])


def reviews_in(application) -> str:
    return f"{application.reviews_submitted} / {application.reviewers}"


class ApplicationViewSet(ListingOnlyViewSet):
    model = Application
    icon = "doc-full-inverse"
    menu_label = _("Applications")
    index_view_class = ApplicationQueueView
    filterset_class = ApplicationFilterSet
    list_display = [
        TitleColumn(
            "startup",
            label=_("Startup"),
            accessor="startup.name",
            sort_key="startup__name",
            url_name="fund_admin_application",
        ),
        Column("call", label=_("Call"), accessor="call.title"),
        MoneyColumn(
            "amount",
            label=_("Amount requested"),
            accessor="amount_requested_vnd",
            sort_key="amount_requested_vnd",
        ),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        DateColumn("stage_started_at", label=_("In this stage since"), sort_key="stage_started_at"),
        DeadlineColumn("stage_due_at", label=_("Service deadline"), sort_key="stage_due_at"),
        Column("reviews", label=_("Reviews in / reviewers"), accessor=reviews_in),
    ]
    list_export = [
        "pk",
        "startup.name",
        "startup.enterprise_code",
        "call.title",
        "get_status_display",
        "amount_requested_vnd",
        "get_instrument_display",
        "pre_money_valuation_vnd",
        "submitted_at",
        "stage_started_at",
        "stage_due_at",
        "is_overdue",
        "reviewers",
        "reviews_submitted",
        "decided_at",
    ]
    export_headings = {
        "pk": _("Application"),
        "startup.name": _("Startup"),
        "startup.enterprise_code": _("Enterprise code"),
        "call.title": _("Call"),
        "get_status_display": _("Status"),
        "amount_requested_vnd": _("Amount requested (VND)"),
        "get_instrument_display": _("Instrument"),
        "pre_money_valuation_vnd": _("Pre-money valuation (VND)"),
        "submitted_at": _("Submitted at"),
        "stage_started_at": _("In this stage since"),
        "stage_due_at": _("Service deadline"),
        "is_overdue": _("Overdue"),
        "reviewers": _("Reviewers"),
        "reviews_submitted": _("Reviews submitted"),
        "decided_at": _("Decided at"),
    }
    export_filename = "fund-applications"
    search_fields = ["startup__name"]


# --- tranches --------------------------------------------------------------------------------


class TrancheFilterSet(WagtailFilterSet):
    status = AnyChoiceFilter(label=_("Status"), choices=TrancheStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Tranche
        fields = ["status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = ~Q(status=TrancheStatus.DISBURSED) & Q(planned_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class TrancheQueueView(LocalisedExportMixin, IndexView):
    def get_base_queryset(self):
        return Tranche.objects.select_related("investment__application__startup").order_by(
            "planned_on", "investment", "number"
        )

    def get_edit_url(self, instance):
        return reverse("fund_admin_tranche", args=[instance.pk])


class TrancheViewSet(ListingOnlyViewSet):
    model = Tranche
    icon = "date"
    menu_label = _("Tranches")
    index_view_class = TrancheQueueView
    filterset_class = TrancheFilterSet
    list_display = [
        TitleColumn(
            "startup",
            label=_("Startup"),
            accessor="investment.application.startup.name",
            sort_key="investment__application__startup__name",
            url_name="fund_admin_tranche",
        ),
        Column("number", label=_("Tranche"), sort_key="number"),
        MoneyColumn("amount_vnd", label=_("Amount"), sort_key="amount_vnd"),
        DayColumn("planned_on", label=_("Planned date"), sort_key="planned_on"),
        Column("days_late", label=_("Days late")),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
    ]
    list_export = [
        "investment.application.startup.name",
        "investment.application_id",
        "number",
        "amount_vnd",
        "planned_on",
        "get_status_display",
        "disbursed_on",
        "days_late",
        "conditions",
    ]
    export_headings = {
        "investment.application.startup.name": _("Startup"),
        "investment.application_id": _("Application"),
        "number": _("Tranche"),
        "amount_vnd": _("Amount (VND)"),
        "planned_on": _("Planned date"),
        "get_status_display": _("Status"),
        "disbursed_on": _("Disbursed on"),
        "days_late": _("Days late"),
        "conditions": _("Conditions and milestones"),
    }
    export_filename = "fund-tranches"
    search_fields = ["investment__application__startup__name"]
