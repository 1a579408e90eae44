"""The department's side of the sandbox in the Wagtail admin: the applications queue and the review
page (request information, reject, approve by decision), the register with each entry's management
page (its history and next step), the concerns sent by the public, and the reports.

The admin only reads; every decision goes through the services, so the rules, the audit log and
the notifications are the same as everywhere else.
"""

from datetime import timedelta

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.core.admin import (
    AnyChoiceFilter,
    DepartmentStaffPolicy,
    ListingOnlyViewSet,
    QueueIndexView,
)
from portal.core.exceptions import PortalError
from portal.core.forms import show_refusal

from . import permissions, selectors, services, workflow
from .admin_forms import ApprovalForm, EntryStepForm, ReturnForm
from .models import (
    Agency,
    Application,
    ApplicationStatus,
    Concern,
    Domain,
    Entry,
    EntryStatus,
)

DepartmentStaffPolicy.register(Application, Entry, Concern)

# Entries ending within this many days are listed in the reports.
ENDING_SOON_DAYS = 60


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_department_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- the applications queue ------------------------------------------------------------------


class ApplicationFilterSet(WagtailFilterSet):
    status = AnyChoiceFilter(label=gettext_lazy("Status"), choices=ApplicationStatus.choices)
    domain = AnyChoiceFilter(label=gettext_lazy("Domain"), choices=Domain.choices)

    class Meta:
        model = Application
        fields = ["status", "domain"]


class ApplicationQueueView(QueueIndexView):
    """Opens on what waits for a decision, oldest first; the status filter shows the rest."""

    default_filters = {"status": ApplicationStatus.SUBMITTED}

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("applicant")
            .order_by(F("submitted_at").asc(nulls_last=True), "-created_at")
        )

    def get_edit_url(self, instance):
        return reverse("sandbox_application_review", args=[instance.pk])


class ApplicationViewSet(ListingOnlyViewSet):
    model = Application
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Applications")
    index_view_class = ApplicationQueueView
    filterset_class = ApplicationFilterSet
    list_display = ["organisation_name", "title", "domain", "status", "submitted_at"]
    list_export = [
        "organisation_name",
        "enterprise_code",
        "title",
        "domain",
        "test_space",
        "duration_months",
        "status",
        "submitted_at",
        "decided_at",
    ]
    search_fields = ["organisation_name", "title", "enterprise_code"]


# --- reviewing one application ---------------------------------------------------------------


class ApplicationReviewView(WagtailAdminTemplateMixin, FormView):
    """The whole application and its steps; a note sends it back or rejects it, a decision
    approves it and creates the register entry."""

    template_name = "sandbox/admin/application_review.html"
    header_icon = "doc-full-inverse"
    APPROVE = "approve"

    def dispatch(self, request, pk):
        if not permissions.is_department_staff(request.user):
            raise PermissionDenied
        self.application = get_object_or_404(
            Application.objects.select_related("applicant", "startup", "entry"), pk=pk
        )
        return super().dispatch(request, pk)

    @property
    def approving(self) -> bool:
        return self.request.method == "POST" and self.request.POST.get("action") == self.APPROVE

    def get_form_class(self):
        return ApprovalForm if self.approving else ReturnForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.approving:
            kwargs["application"] = self.application
        return kwargs

    def get_page_title(self):
        return _("Application: %(title)s") % {"title": self.application.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("sandbox_admin_applications:index"), "label": _("Applications")},
            {"url": "", "label": self.application.organisation_name},
        ]

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or self.get_form()
        application = self.application
        return super().get_context_data(
            application=application,
            entry=getattr(application, "entry", None),
            can_decide=application.status == ApplicationStatus.SUBMITTED,
            return_form=ReturnForm() if self.approving else form,
            approval_form=form if self.approving else ApprovalForm(application=application),
            steps=application.steps.select_related("actor"),
            **kwargs,
        )

    def form_valid(self, form):
        user, application = self.request.user, self.application
        try:
            if self.approving:
                data = form.cleaned_data
                entry = services.application_approve(
                    user=user,
                    application=application,
                    **{name: data[name] for name in ApprovalForm.DECISION},
                    terms=form.terms(),
                )
            elif form.cleaned_data["decision"] == ReturnForm.INFO:
                services.application_request_info(
                    user=user, application=application, note=form.cleaned_data["note"]
                )
            else:
                services.application_reject(
                    user=user, application=application, note=form.cleaned_data["note"]
                )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        if self.approving:
            messages.success(
                self.request,
                _("Approved by decision %(decision)s: the entry is on the public register.")
                % {"decision": entry.decision_number},
            )
            return redirect("sandbox_entry_manage", pk=entry.pk)
        application.refresh_from_db(fields=["status"])
        messages.success(
            self.request,
            _("%(title)s: %(status)s.")
            % {"title": application.title, "status": application.get_status_display()},
        )
        return redirect("sandbox_admin_applications:index")


# --- the register ----------------------------------------------------------------------------


class EntryFilterSet(WagtailFilterSet):
    status = AnyChoiceFilter(label=gettext_lazy("Status"), choices=EntryStatus.choices)
    domain = AnyChoiceFilter(label=gettext_lazy("Domain"), choices=Domain.choices)
    agency = AnyChoiceFilter(label=gettext_lazy("Supervising agency"), choices=Agency.choices)

    class Meta:
        model = Entry
        fields = ["status", "domain", "agency"]


class RegisterIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().order_by("-decision_date", "-pk")

    def get_edit_url(self, instance):
        return reverse("sandbox_entry_manage", args=[instance.pk])


class EntryViewSet(ListingOnlyViewSet):
    model = Entry
    icon = "list-ul"
    menu_label = gettext_lazy("Register")
    index_view_class = RegisterIndexView
    filterset_class = EntryFilterSet
    list_display = ["participant", "title", "decision_number", "status", "agency", "end_date"]
    list_export = [
        "participant",
        "enterprise_code",
        "title",
        "decision_number",
        "decision_date",
        "agency",
        "domain",
        "status",
        "start_date",
        "end_date",
        "ended_on",
    ]
    search_fields = ["participant", "title", "enterprise_code", "decision_number"]


class EntryManageView(WagtailAdminTemplateMixin, FormView):
    """One entry: its terms, its dated history with the documents, its concerns, and the form
    for the next step allowed from its status."""

    template_name = "sandbox/admin/entry_manage.html"
    form_class = EntryStepForm
    header_icon = "list-ul"

    def dispatch(self, request, pk):
        if not permissions.is_department_staff(request.user):
            raise PermissionDenied
        self.entry = get_object_or_404(
            selectors.with_history(Entry.objects.select_related("application", "startup")), pk=pk
        )
        return super().dispatch(request, pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "entry": self.entry}

    def get_page_title(self):
        return _("Register entry: %(participant)s") % {"participant": self.entry.participant}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("sandbox_admin_entries:index"), "label": _("Register")},
            {"url": "", "label": self.entry.participant},
        ]

    def get_context_data(self, **kwargs):
        entry = self.entry
        return super().get_context_data(
            entry=entry,
            amendments=entry.amendments.all(),
            steps=workflow.entry_steps_from(entry.status),
            endings=sorted(workflow.ENDINGS),
            concerns=entry.concerns.all(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry = services.entry_amend(
                user=self.request.user,
                entry=self.entry,
                kind=data["kind"],
                effective_on=data["effective_on"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                document=data["document"],
                new_end_date=data["new_end_date"],
                note=data["note"],
                outcome_report=data["outcome_report"],
                lessons_learned=data["lessons_learned"],
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(participant)s: %(status)s.")
            % {"participant": entry.participant, "status": entry.get_status_display()},
        )
        return redirect("sandbox_entry_manage", pk=entry.pk)


# --- concerns from the public ----------------------------------------------------------------


class ExcerptColumn(Column):
    def get_value(self, instance):
        return Truncator(super().get_value(instance)).chars(120)


class ConcernFilterSet(WagtailFilterSet):
    waiting = django_filters.BooleanFilter(
        label=gettext_lazy("Not handled yet"), field_name="handled_at", lookup_expr="isnull"
    )

    class Meta:
        model = Concern
        fields = ["waiting"]


class ConcernIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("entry").order_by("-created_at", "-pk")

    def get_edit_url(self, instance):
        return reverse("sandbox_entry_manage", args=[instance.entry_id]) + "#concerns"


class ConcernViewSet(ListingOnlyViewSet):
    model = Concern
    icon = "warning"
    menu_label = gettext_lazy("Concerns")
    index_view_class = ConcernIndexView
    filterset_class = ConcernFilterSet
    list_display = [
        "entry",
        ExcerptColumn("message", label=gettext_lazy("What happened")),
        "email",
        "created_at",
        "handled_at",
    ]
    list_export = ["entry", "name", "email", "message", "created_at", "handled_at"]
    search_fields = ["name", "email", "message"]


class ConcernHandledView(StaffOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        concern = get_object_or_404(Concern, pk=pk)
        try:
            services.concern_mark_handled(user=request.user, concern=concern)
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The concern is marked as handled."))
        return redirect(reverse("sandbox_entry_manage", args=[concern.entry_id]) + "#concerns")


# --- reports ---------------------------------------------------------------------------------


def register_counts() -> dict:
    """Register entries by domain (rows) and status (columns), with the totals."""
    counts = {
        (row["domain"], row["status"]): row["n"]
        for row in Entry.objects.values("domain", "status").annotate(n=Count("pk")).order_by()
    }
    rows = [
        {
            "label": domain.label,
            "cells": [counts.get((domain.value, status.value), 0) for status in EntryStatus],
            "total": sum(counts.get((domain.value, s.value), 0) for s in EntryStatus),
        }
        for domain in Domain
    ]
    return {
        "statuses": [status.label for status in EntryStatus],
        "rows": rows,
        "totals": [sum(row["cells"][i] for row in rows) for i in range(len(EntryStatus))],
        "total": sum(counts.values()),
    }


def application_counts() -> list[dict]:
    counts = dict(Application.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return [
        {"label": status.label, "count": counts.get(status.value, 0)}
        for status in ApplicationStatus
    ]


def decision_time() -> dict:
    """Average days from submission to decision over approved and rejected applications."""
    spans = [
        decided - submitted
        for submitted, decided in Application.objects.filter(
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REJECTED],
            submitted_at__isnull=False,
            decided_at__isnull=False,
        ).values_list("submitted_at", "decided_at")
    ]
    if not spans:
        return {"decisions": 0, "average_days": None}
    average = sum(spans, timedelta()) / len(spans)
    return {"decisions": len(spans), "average_days": round(average.total_seconds() / 86400, 1)}


def entries_ending_soon(today, days: int = ENDING_SOON_DAYS):
    return Entry.objects.filter(
        status__in=services.RUNNING_STATUSES,
        end_date__gte=today,
        end_date__lte=today + timedelta(days=days),
    ).order_by("end_date", "pk")


class ReportsView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "sandbox/admin/reports.html"
    header_icon = "table"

    def get_page_title(self):
        return _("Sandbox reports")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": _("Sandbox reports")}]

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        ending = [
            {"entry": entry, "days_left": (entry.end_date - today).days}
            for entry in entries_ending_soon(today)
        ]
        return super().get_context_data(
            counts=register_counts(),
            applications=application_counts(),
            decision_time=decision_time(),
            ending=ending,
            ending_days=ENDING_SOON_DAYS,
            **kwargs,
        )


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_department_staff(request.user)


class SandboxViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Sandbox")
    menu_icon = "form"
    menu_order = 210
    items = (
        ApplicationViewSet("sandbox_admin_applications", url_prefix="sandbox/applications"),
        EntryViewSet("sandbox_admin_entries", url_prefix="sandbox/entries"),
        ConcernViewSet("sandbox_admin_concerns", url_prefix="sandbox/concerns"),
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        reports = ReportsMenuItem(
            gettext_lazy("Reports"),
            reverse("sandbox_reports"),
            name="sandbox-reports",
            icon_name="table",
            order=len(items) + 1,
        )
        return [*items, reports]


admin_urls = [
    path(
        "sandbox/applications/<int:pk>/",
        ApplicationReviewView.as_view(),
        name="sandbox_application_review",
    ),
    path("sandbox/entries/<int:pk>/", EntryManageView.as_view(), name="sandbox_entry_manage"),
    path(
        "sandbox/concerns/<int:pk>/handled/",
        ConcernHandledView.as_view(),
        name="sandbox_concern_handled",
    ),
    path("sandbox/reports/", ReportsView.as_view(), name="sandbox_reports"),
]
