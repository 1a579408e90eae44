"""The department's side of the ecosystem dashboard in the Wagtail admin: the indicators (their
targets and sources), the values staff enter with their second approver and corrections, the
snapshots (taken now on demand, each with its frozen figures) and the archive of weekly reports
with the subscription to them.

Indicators are configuration, edited with the generic forms (and logged by them). Every other
write goes through the services, so the rules, the audit log and the notifications are the same
as everywhere else.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from portal.accounts.permissions import is_department_staff
from portal.core.admin import DayColumn, DepartmentStaffPolicy, QueueIndexView, listing_urlpatterns
from portal.core.exceptions import PortalError
from portal.core.forms import refusal_text, show_refusal

from . import permissions, report_services, reports, selectors, services
from .admin_forms import (
    ConfirmForm,
    CorrectionForm,
    DecisionForm,
    IndicatorCreateForm,
    IndicatorEditForm,
    SnapshotForm,
    ValueForm,
)
from .charts import format_day, format_value
from .models import (
    Indicator,
    IndicatorValue,
    Method,
    ReportSubscription,
    Snapshot,
    SnapshotTrigger,
    ValueStatus,
    WeeklyReport,
)
from .sources import source_choices


class IndicatorPolicy(DepartmentStaffPolicy):
    """Department staff also add and change indicators; nobody deletes one (its snapshots'
    figures would go with it)."""

    ACTIONS = frozenset({"view", "add", "change"})

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and is_department_staff(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["view"] if self.ACTIONS & set(actions) else [])


register_permission_policy(Indicator, IndicatorPolicy(Indicator))
register_permission_policy(IndicatorValue, DepartmentStaffPolicy(IndicatorValue))
register_permission_policy(Snapshot, DepartmentStaffPolicy(Snapshot))
register_permission_policy(WeeklyReport, DepartmentStaffPolicy(WeeklyReport))


class StaffPageMixin:
    """A dashboard page of department staff (who manage the indicators), with its breadcrumbs."""

    header_icon = "table"
    # (URL name of the listing, its label) the page sits under.
    parent: tuple[str, object] | None = None

    def dispatch(self, request, *args, **kwargs):
        # Refused before any lookup, so the pages tell nothing, not even what exists.
        if not permissions.can_manage_indicators(request.user):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetches the record the page is about, once the user may see it."""

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.parent:
            url_name, label = self.parent
            items.append({"url": reverse(url_name), "label": label})
        return items + [{"url": "", "label": self.get_page_title()}]


class FigureColumn(Column):
    """A value in its indicator's unit (`12,5 %`, `1.000 tỷ đồng`)."""

    def get_value(self, instance):
        return format_value(instance.value, instance.indicator.unit)


# --- indicators ------------------------------------------------------------------------------


class TargetColumn(Column):
    def get_value(self, instance):
        return reports.target_text(instance.target_value, instance.target_deadline, instance.unit)


class SourceColumn(Column):
    """Where the figure comes from: the computed source's label, or staff entry."""

    def get_value(self, instance):
        if instance.method == Method.MANUAL:
            return _("Entered by staff, with a second approver")
        # The registered sources are plain functions' lists: no query per row.
        return dict(source_choices()).get(instance.source_key, instance.source_key)


class IndicatorIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().order_by("position", "code")


class IndicatorViewSet(ModelViewSet):
    model = Indicator
    icon = "list-ol"
    menu_label = gettext_lazy("Indicators")
    add_to_admin_menu = False
    index_view_class = IndicatorIndexView
    list_display = [
        "__str__",
        "code",
        "unit",
        SourceColumn("source_key", label=gettext_lazy("Source")),
        TargetColumn("target_value", label=gettext_lazy("Target")),
        BooleanColumn("is_public", label=gettext_lazy("Public")),
        "position",
    ]
    search_fields = ["code", "name", "name_en"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return IndicatorEditForm if for_update else IndicatorCreateForm

    def get_urlpatterns(self):
        # No delete: an indicator's frozen snapshot figures must stay.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "delete"]


# --- values ----------------------------------------------------------------------------------


class ValueFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=ValueStatus.choices, empty_label=gettext_lazy("Any")
    )
    indicator = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Indicator"),
        queryset=Indicator.objects.filter(method=Method.MANUAL),
        empty_label=gettext_lazy("Any"),
    )

    class Meta:
        model = IndicatorValue
        fields = ["status", "indicator"]


class ValueQueueView(QueueIndexView):
    """Opens on the values awaiting a second approver, oldest first."""

    default_filters = {"status": ValueStatus.PENDING}

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("indicator", "entered_by", "decided_by")
            .order_by("entered_at", "pk")
        )

    def get_edit_url(self, instance):
        return reverse("dashboard_value", args=[instance.pk])

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(_("Enter a value"), url=reverse("dashboard_value_enter"), icon_name="plus")
        ]


class ValueViewSet(ModelViewSet):
    model = IndicatorValue
    icon = "edit"
    menu_label = gettext_lazy("Values")
    add_to_admin_menu = False
    index_view_class = ValueQueueView
    filterset_class = ValueFilterSet
    list_display = [
        "indicator",
        FigureColumn("value", label=gettext_lazy("Value")),
        DayColumn("as_of", label=gettext_lazy("As of")),
        "source",
        "status",
        Column("entered_by", label=gettext_lazy("Entered by")),
        DateColumn("entered_at", label=gettext_lazy("Entered at")),
        Column("decided_by", label=gettext_lazy("Decided by")),
    ]
    list_export = [
        "indicator.code",
        "indicator.name",
        "value",
        "as_of",
        "source",
        "status",
        "entered_by.email",
        "entered_at",
        "decided_by.email",
        "decided_at",
        "note",
        "decision_note",
    ]
    search_fields = ["source", "note", "indicator__name", "indicator__name_en"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return listing_urlpatterns(self)


class ValueEnterView(StaffPageMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "dashboard/admin/form_page.html"
    form_class = ValueForm
    parent = ("dashboard_admin_values:index", gettext_lazy("Values"))

    def get_page_title(self):
        return _("Enter a value")

    def get_initial(self):
        return {"indicator": self.request.GET.get("indicator")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_("The value is published once a second member of department staff approves it."),
            submit_label=_("Enter the value"),
            multipart=True,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            value = services.value_enter(
                user=self.request.user,
                indicator=data["indicator"],
                value=data["value"],
                as_of=data["as_of"],
                source=data["source"],
                evidence=data["evidence"],
                note=data["note"],
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The value of “%(indicator)s” awaits a second approver.")
            % {"indicator": value.indicator.label},
        )
        return redirect("dashboard_value", pk=value.pk)


def _value_queryset():
    return IndicatorValue.objects.select_related(
        "indicator", "entered_by", "decided_by", "evidence", "corrects"
    )


class ValueView(StaffPageMixin, WagtailAdminTemplateMixin, FormView):
    """One value: what was entered, by whom, its evidence and corrections, and the second
    approver's decision."""

    template_name = "dashboard/admin/value.html"
    form_class = DecisionForm
    header_icon = "edit"
    parent = ("dashboard_admin_values:index", gettext_lazy("Values"))

    def load(self, pk):
        self.value = get_object_or_404(_value_queryset(), pk=pk)

    def get_page_title(self):
        return _("Value of “%(indicator)s”") % {"indicator": self.value.indicator.label}

    def get_context_data(self, **kwargs):
        value, user = self.value, self.request.user
        pending = value.status == ValueStatus.PENDING
        published = selectors.approved_values(value.indicator).first()
        return super().get_context_data(
            value=value,
            value_text=format_value(value.value, value.indicator.unit),
            published=published if published and published.pk != value.pk else None,
            published_text=published and format_value(published.value, value.indicator.unit),
            pending=pending,
            can_decide=pending and permissions.can_approve_value(user, value),
            corrections=value.corrections.select_related("entered_by").order_by("entered_at"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.APPROVE:
                services.value_approve(user=self.request.user, value=self.value, note=data["note"])
                text = _("The value is approved and published.")
            else:
                services.value_reject(user=self.request.user, value=self.value, note=data["note"])
                text = _("The value is rejected; the person who entered it is told why.")
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, text)
        return redirect("dashboard_value", pk=self.value.pk)


class CorrectionView(StaffPageMixin, WagtailAdminTemplateMixin, FormView):
    """A correction is a new value that names the approved one it corrects; the corrected value
    and every snapshot that froze it stay as they were."""

    template_name = "dashboard/admin/form_page.html"
    form_class = CorrectionForm
    header_icon = "edit"
    parent = ("dashboard_admin_values:index", gettext_lazy("Values"))

    def load(self, pk):
        self.corrected = get_object_or_404(_value_queryset(), pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "corrected": self.corrected}

    def get_page_title(self):
        return _("Correct the value of “%(indicator)s”") % {
            "indicator": self.corrected.indicator.label
        }

    def get_context_data(self, **kwargs):
        corrected = self.corrected
        return super().get_context_data(
            intro=_(
                "The approved value of %(value)s as of %(date)s stays on record; the correction "
                "is a new value, published once a second member of staff approves it."
            )
            % {
                "value": format_value(corrected.value, corrected.indicator.unit),
                "date": format_day(corrected.as_of),
            },
            submit_label=_("Enter the correction"),
            multipart=True,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            value = services.value_enter(
                user=self.request.user,
                indicator=self.corrected.indicator,
                value=data["value"],
                as_of=data["as_of"],
                source=data["source"],
                evidence=data["evidence"],
                note=data["note"],
                corrects=self.corrected,
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The correction awaits a second approver."))
        return redirect("dashboard_value", pk=value.pk)


# --- snapshots -------------------------------------------------------------------------------


class SnapshotIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("taken_by", "report")

    def get_edit_url(self, instance):
        return reverse("dashboard_snapshot", args=[instance.pk])

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Take a snapshot now"), url=reverse("dashboard_snapshot_take"), icon_name="plus"
            )
        ]


class HasReportColumn(Column):
    def get_value(self, instance):
        return _("Yes") if hasattr(instance, "report") else _("No")


class SnapshotViewSet(ModelViewSet):
    model = Snapshot
    icon = "time"
    menu_label = gettext_lazy("Snapshots")
    add_to_admin_menu = False
    index_view_class = SnapshotIndexView
    list_display = [
        "__str__",
        "trigger",
        Column("taken_by", label=gettext_lazy("Taken by")),
        "note",
        HasReportColumn("report", label=gettext_lazy("Weekly report")),
    ]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return listing_urlpatterns(self)


class SnapshotView(StaffPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboard/admin/snapshot.html"
    header_icon = "time"
    parent = ("dashboard_admin_snapshots:index", gettext_lazy("Snapshots"))

    def load(self, pk):
        self.snapshot = get_object_or_404(
            Snapshot.objects.select_related("taken_by", "report__pdf", "report__xlsx"), pk=pk
        )

    def get_page_title(self):
        return _("Snapshot of %(taken)s") % {"taken": self.snapshot}

    def get_context_data(self, **kwargs):
        rows = self.snapshot.values.select_related("indicator").order_by(
            "indicator__position", "indicator__code"
        )
        return super().get_context_data(
            snapshot=self.snapshot,
            report=getattr(self.snapshot, "report", None),
            rows=[(row, format_value(row.value, row.indicator.unit)) for row in rows],
            **kwargs,
        )


class SnapshotTakeView(StaffPageMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "dashboard/admin/form_page.html"
    form_class = SnapshotForm
    header_icon = "time"
    parent = ("dashboard_admin_snapshots:index", gettext_lazy("Snapshots"))

    def get_page_title(self):
        return _("Take a snapshot now")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_(
                "Freezes every indicator's current figure. A later change in the data or a "
                "correction never alters it."
            ),
            submit_label=_("Take the snapshot"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            snapshot = services.snapshot_take(
                user=self.request.user,
                trigger=SnapshotTrigger.ON_DEMAND,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Snapshot taken: %(taken)s.") % {"taken": snapshot})
        return redirect("dashboard_snapshot", pk=snapshot.pk)


# --- weekly reports --------------------------------------------------------------------------


class DownloadColumn(Column):
    """A link to one of the report's files, served after the private-file permission check."""

    cell_template_name = "dashboard/admin/download_cell.html"

    def get_value(self, instance):
        stored = getattr(instance, self.name)
        return reverse("private_file_download", args=[stored.pk]) if stored else ""


class WeekColumn(Column):
    def get_value(self, instance):
        return reports.week_label(instance.snapshot.taken_at)


class ReportIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("snapshot", "pdf", "xlsx")

    @cached_property
    def subscribed(self) -> bool:
        return ReportSubscription.objects.filter(user=self.request.user).exists()

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Generate now"), url=reverse("dashboard_report_generate"), icon_name="plus"
            ),
            HeaderButton(
                _("Unsubscribe from the weekly email")
                if self.subscribed
                else _("Subscribe to the weekly email"),
                url=reverse("dashboard_report_subscription"),
                icon_name="mail",
                classname="button-secondary",
            ),
        ]


class ReportViewSet(ModelViewSet):
    model = WeeklyReport
    icon = "doc-full"
    menu_label = gettext_lazy("Weekly reports")
    add_to_admin_menu = False
    index_view_class = ReportIndexView
    list_display = [
        WeekColumn("week", label=gettext_lazy("Week")),
        Column("snapshot", label=gettext_lazy("Snapshot")),
        DateColumn("generated_at", label=gettext_lazy("Generated at")),
        DownloadColumn("pdf", label="PDF"),
        DownloadColumn("xlsx", label="XLSX"),
        Column("emailed_to", label=gettext_lazy("Emailed to")),
    ]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return listing_urlpatterns(self)


class ReportGenerateView(StaffPageMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "dashboard/admin/form_page.html"
    form_class = ConfirmForm
    header_icon = "doc-full"
    parent = ("dashboard_admin_reports:index", gettext_lazy("Weekly reports"))

    def get_page_title(self):
        return _("Generate the weekly report now")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_(
                "Takes a snapshot of every figure now and archives its report (PDF and XLSX). "
                "It is not emailed: subscribers receive the scheduled weekly report."
            ),
            submit_label=_("Generate the report"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            report = report_services.report_generate(user=self.request.user)
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The report of %(week)s is archived.")
            % {"week": reports.week_label(report.snapshot.taken_at)},
        )
        return redirect("dashboard_admin_reports:index")


class SubscriptionView(StaffPageMixin, WagtailAdminTemplateMixin, FormView):
    """The current member of staff's subscription to the weekly email, and its toggle."""

    template_name = "dashboard/admin/form_page.html"
    form_class = ConfirmForm
    header_icon = "mail"
    parent = ("dashboard_admin_reports:index", gettext_lazy("Weekly reports"))

    @cached_property
    def subscribed(self) -> bool:
        return ReportSubscription.objects.filter(user=self.request.user).exists()

    def get_page_title(self):
        return _("The weekly report by email")

    def get_context_data(self, **kwargs):
        if self.subscribed:
            intro = _("You receive the weekly report by email at %(email)s, PDF and XLSX attached.")
            label = _("Unsubscribe")
        else:
            intro = _("You do not receive the weekly report by email (%(email)s).")
            label = _("Subscribe")
        return super().get_context_data(
            intro=intro % {"email": self.request.user.email},
            submit_label=label,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            now = report_services.subscription_set(
                user=self.request.user, subscribed=not self.subscribed
            )
        except PortalError as error:
            messages.error(self.request, refusal_text(error))
            return redirect("dashboard_admin_reports:index")
        messages.success(
            self.request,
            _("You will receive the weekly report by email.")
            if now
            else _("You will no longer receive the weekly report by email."),
        )
        return redirect("dashboard_admin_reports:index")


class DashboardViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Dashboard")
    menu_icon = "table"
    menu_order = 230
    items = (
        IndicatorViewSet("dashboard_admin_indicators", url_prefix="dashboard/indicators"),
        ValueViewSet("dashboard_admin_values", url_prefix="dashboard/values"),
        SnapshotViewSet("dashboard_admin_snapshots", url_prefix="dashboard/snapshots"),
        ReportViewSet("dashboard_admin_reports", url_prefix="dashboard/reports"),
    )


admin_urls = [
    path("dashboard/values/new/", ValueEnterView.as_view(), name="dashboard_value_enter"),
    path("dashboard/values/<int:pk>/", ValueView.as_view(), name="dashboard_value"),
    path(
        "dashboard/values/<int:pk>/correct/",
        CorrectionView.as_view(),
        name="dashboard_value_correct",
    ),
    path("dashboard/snapshots/take/", SnapshotTakeView.as_view(), name="dashboard_snapshot_take"),
    path("dashboard/snapshots/<int:pk>/", SnapshotView.as_view(), name="dashboard_snapshot"),
    path(
        "dashboard/reports/generate/",
        ReportGenerateView.as_view(),
        name="dashboard_report_generate",
    ),
    path(
        "dashboard/reports/subscription/",
        SubscriptionView.as_view(),
        name="dashboard_report_subscription",
    ),
]
