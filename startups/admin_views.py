"""The department's side of the registry in the Wagtail admin: the verification queue, the review
page (profile, what changed since the last verification, history, decision) and ownership claims.

The admin only reads; every decision goes through the services, so the rules, the audit log and
the notifications are the same as everywhere else.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from portal.core.admin import (
    AnyChoiceFilter,
    DepartmentStaffPolicy,
    ListingOnlyViewSet,
    QueueIndexView,
    listing_urlpatterns,
)
from portal.core.exceptions import PortalError

from . import permissions, services, workflow
from .admin_import import import_menu_item
from .models import Claim, ClaimMethod, ClaimStatus, Revision, Sector, Startup, Status

DepartmentStaffPolicy.register(Startup, Claim)


# --- the queue -------------------------------------------------------------------------------


class StartupFilterSet(WagtailFilterSet):
    status = AnyChoiceFilter(label=gettext_lazy("Status"), choices=Status.choices)
    is_stale = django_filters.BooleanFilter(label=gettext_lazy("Stale"))
    sector = AnyChoiceFilter(
        label=gettext_lazy("Sector"), choices=Sector.choices, field_name="sector_links__sector"
    )

    class Meta:
        model = Startup
        fields = ["status", "is_stale", "origin", "stage", "commune", "sector"]


class VerificationQueueView(QueueIndexView):
    """Opens on what waits for a decision; the status filter shows everything else."""

    default_filters = {"status": Status.SUBMITTED}

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("commune").order_by("submitted_at")

    def get_edit_url(self, instance):
        return reverse("startup_review", args=[instance.pk])


class StartupViewSet(ListingOnlyViewSet):
    model = Startup
    icon = "tasks"
    menu_label = gettext_lazy("Startups")
    index_view_class = VerificationQueueView
    filterset_class = StartupFilterSet
    list_display = ["name", "enterprise_code", "status", "commune", "submitted_at", "is_stale"]
    list_export = [
        "name",
        "enterprise_code",
        "status",
        "commune",
        "stage",
        "submitted_at",
        "verified_at",
        "confirmation_due_on",
        "is_stale",
    ]
    search_fields = ["name", "english_name", "enterprise_code"]

    def get_urlpatterns(self):
        # The audit history too: the review page links to it.
        return [
            *super().get_urlpatterns(),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]


# --- reviewing one startup -------------------------------------------------------------------


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (Status.VERIFIED, gettext_lazy("Verify")),
            (Status.CHANGES_REQUESTED, gettext_lazy("Request changes")),
            (Status.REJECTED, gettext_lazy("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason_codes = forms.MultipleChoiceField(
        label=gettext_lazy("Reasons (for a request for changes or a rejection)"),
        choices=workflow.ReasonCode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the founders"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )


def profile_changes(startup: Startup) -> list[dict]:
    """What differs between the last verified version and the profile now, field by field."""
    verified = Revision.objects.filter(startup=startup, is_verified_state=True).first()
    if verified is None:
        return []
    current = services.profile_snapshot(startup)
    labels = {name: Startup._meta.get_field(name).verbose_name for name in services.PROFILE_FIELDS}
    labels["sectors"] = _("Sectors")
    return [
        {"label": labels[name], "before": verified.data.get(name), "after": current[name]}
        for name in current
        if verified.data.get(name) != current[name]
    ]


class StartupReviewView(WagtailAdminTemplateMixin, FormView):
    template_name = "startups/admin/review.html"
    form_class = DecisionForm
    header_icon = "tasks"

    def dispatch(self, request, pk):
        if not permissions.can_verify_startups(request.user):
            raise PermissionDenied
        self.startup = get_object_or_404(
            Startup.objects.select_related("commune").prefetch_related("sector_links"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Review: %(name)s") % {"name": self.startup.name}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("startups_startup:index"), "label": _("Startups")},
            {"url": "", "label": self.startup.name},
        ]

    def get_context_data(self, **kwargs):
        startup = self.startup
        return super().get_context_data(
            startup=startup,
            can_decide=startup.status == Status.SUBMITTED,
            can_reopen=startup.status == Status.VERIFIED,
            changes=profile_changes(startup),
            transitions=startup.transitions.select_related("actor"),
            members=startup.memberships.select_related("user"),
            documents=startup.documents.all(),
            pending_claims=startup.claims.filter(status=ClaimStatus.PENDING).select_related("user"),
            **kwargs,
        )

    def form_valid(self, form):
        decision = form.cleaned_data["decision"]
        user, startup = self.request.user, self.startup
        reasons, note = form.cleaned_data["reason_codes"], form.cleaned_data["note"]
        try:
            if decision == Status.VERIFIED:
                services.startup_verify(user=user, startup=startup, note=note)
            elif decision == Status.CHANGES_REQUESTED:
                services.startup_request_changes(
                    user=user, startup=startup, reason_codes=reasons, note=note
                )
            else:
                services.startup_reject(user=user, startup=startup, reason_codes=reasons, note=note)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
            return self.form_invalid(form)
        except PortalError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s: %(status)s.") % {"name": startup.name, "status": Status(decision).label},
        )
        return redirect("startups_startup:index")


# --- ownership claims ------------------------------------------------------------------------


class ClaimFilterSet(WagtailFilterSet):
    class Meta:
        model = Claim
        fields = ["status", "method"]


class ClaimQueueView(QueueIndexView):
    default_filters = {"status": ClaimStatus.PENDING, "method": ClaimMethod.STAFF_REVIEW}

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("startup", "user")

    def get_edit_url(self, instance):
        return reverse("startup_claim_review", args=[instance.pk])


class ClaimViewSet(ModelViewSet):
    model = Claim
    icon = "user"
    menu_label = gettext_lazy("Ownership claims")
    add_to_admin_menu = False
    index_view_class = ClaimQueueView
    filterset_class = ClaimFilterSet
    list_display = ["startup", "user", "method", "status", "created_at"]
    search_fields = []
    copy_view_enabled = False

    def get_urlpatterns(self):
        return listing_urlpatterns(self)


class ClaimDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("1", gettext_lazy("Approve: make them owner")), ("0", gettext_lazy("Reject"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the claimant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ClaimReviewView(WagtailAdminTemplateMixin, FormView):
    template_name = "startups/admin/claim_review.html"
    form_class = ClaimDecisionForm
    header_icon = "user"

    def dispatch(self, request, pk):
        if not permissions.is_department_staff(request.user):
            raise PermissionDenied
        self.claim = get_object_or_404(Claim.objects.select_related("startup", "user"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Claim on %(name)s") % {"name": self.claim.startup.name}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("startups_claim:index"), "label": _("Ownership claims")},
            {"url": "", "label": self.claim.startup.name},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(claim=self.claim, **kwargs)

    def form_valid(self, form):
        user, claim, note = self.request.user, self.claim, form.cleaned_data["note"]
        try:
            if form.cleaned_data["approve"]:
                services.claim_approve(user=user, claim=claim, note=note)
            else:
                services.claim_reject(user=user, claim=claim, note=note)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        except PortalError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Claim decided."))
        return redirect("startups_claim:index")


class RegistryViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Startup registry")
    menu_icon = "tasks"
    menu_order = 200
    items = (
        StartupViewSet("startups_startup", menu_label=gettext_lazy("Verification queue")),
        ClaimViewSet("startups_claim"),
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        return [*items, import_menu_item(order=len(items) + 1)]


admin_urls = [
    path("startups/review/<int:pk>/", StartupReviewView.as_view(), name="startup_review"),
    path("startups/claims/<int:pk>/", ClaimReviewView.as_view(), name="startup_claim_review"),
]
