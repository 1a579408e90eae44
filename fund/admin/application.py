"""One application, as a fund manager handles it: the whole application, its steps and audit
trail, the reviewers and their scores, the committee's decision and the investment's tranches."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.log_actions import registry as log_registry

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from portal.core.formatting import format_vnd
from startups.permissions import can_verify_startups

from .. import selectors, services, workflow
from ..admin_forms import (
    AdvanceForm,
    ApproveForm,
    AssignForm,
    RejectForm,
    RequestInfoForm,
    TrancheForm,
    UnassignForm,
)
from ..models import (
    Application,
    ApplicationStatus,
    Criterion,
    Recommendation,
    TrancheStatus,
)
from .pages import ActionPageView

STAGE_ACTIONS = frozenset({"advance", "request_info", "reject", "approve"})


def reviewer_candidates(application: Application):
    """Active reviewers not yet assigned to `application`."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.REVIEWER.group_name)
        .exclude(pk__in=application.assignments.values("reviewer"))
        .distinct()
        .order_by("email")
    )


def rubric_rows(assignments) -> list[dict]:
    """Each assignment with its scores in the rubric's order."""
    rows = []
    for assignment in assignments:
        scores = {score.criterion: score for score in assignment.scores.all()}
        rows.append(
            {
                "assignment": assignment,
                "scores": [scores.get(criterion) for criterion in Criterion],
            }
        )
    return rows


class ApplicationManageView(ActionPageView):
    template_name = "fund/admin/application.html"
    header_icon = "doc-full-inverse"
    actions = {
        "advance": AdvanceForm,
        "request_info": RequestInfoForm,
        "reject": RejectForm,
        "approve": ApproveForm,
        "assign": AssignForm,
        "unassign": UnassignForm,
        "add_tranche": TrancheForm,
    }

    def setup_object(self, pk):
        self.application = get_object_or_404(
            selectors.pipeline_applications().prefetch_related(
                "co_investors", "attachments__file", "steps__actor"
            ),
            pk=pk,
        )
        self.investment = getattr(self.application, "investment", None)

    @cached_property
    def candidate_flags(self):
        candidates = reviewer_candidates(self.application)
        startup = self.application.startup
        return candidates, {
            reviewer.pk: services.conflict_flags(reviewer, startup) for reviewer in candidates
        }

    def form_kwargs(self, name):
        if name in STAGE_ACTIONS or name == "unassign":
            return {"application": self.application}
        if name == "assign":
            candidates, flags = self.candidate_flags
            return {"candidates": candidates, "flags": flags}
        return {}

    def available_actions(self):
        status = self.application.status
        steps = workflow.manager_steps_from(status)
        offered = {
            "advance": status in workflow.ADVANCE,
            "request_info": ApplicationStatus.INFO_REQUESTED in steps,
            "reject": ApplicationStatus.REJECTED in steps,
            "approve": status == ApplicationStatus.COMMITTEE,
            "assign": status in services.ASSIGNABLE_STATUSES,
            "unassign": True,
            "add_tranche": self.investment is not None,
        }
        return {name for name, shown in offered.items() if shown}

    def get_page_title(self):
        return _("Application: %(startup)s") % {"startup": self.application.startup.name}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("fund_admin_applications:index"), "label": _("Applications")},
            {"url": "", "label": self.application.startup.name},
        ]

    def get_context_data(self, **kwargs):
        application = self.application
        user = self.request.user
        next_stage = workflow.ADVANCE.get(application.status)
        summary = selectors.score_summary(application)
        tranches = selectors.tranches_of(self.investment) if self.investment else []
        return super().get_context_data(
            application=application,
            answers=selectors.questions_as_asked(application),
            steps=application.steps.all(),
            queue_position=selectors.queue_position(application),
            next_stage=ApplicationStatus(next_stage).label if next_stage else None,
            reviews_needed=workflow.MIN_REVIEWS_FOR_COMMITTEE,
            criteria=[criterion.label for criterion in Criterion],
            reviews=rubric_rows(selectors.assignments_for(application)),
            summary=summary,
            recommendations=[
                (Recommendation(code).label, count)
                for code, count in summary.recommendations.items()
                if code
            ],
            investment=self.investment,
            tranches=tranches,
            tranche_totals=self.tranche_totals(tranches),
            log_entries=log_registry.get_logs_for_instance(application)
            .select_related("user")
            .order_by("-timestamp", "-pk"),
            startup_profile_url=(
                application.startup.get_absolute_url() if application.startup.is_listed else ""
            ),
            startup_review_url=(
                reverse("startup_review", args=[application.startup_id])
                if can_verify_startups(user)
                else ""
            ),
            **kwargs,
        )

    def tranche_totals(self, tranches) -> dict | None:
        if self.investment is None:
            return None
        planned = sum(tranche.amount_vnd for tranche in tranches)
        disbursed = sum(
            tranche.amount_vnd for tranche in tranches if tranche.status == TrancheStatus.DISBURSED
        )
        return {
            "planned": planned,
            "disbursed": disbursed,
            "unplanned": self.investment.amount_vnd - planned,
        }

    def refused(self, form, error):
        super().refused(form, error)
        if (
            isinstance(form, AssignForm)
            and isinstance(error, PortalError)
            and error.code == "conflict_of_interest"
        ):
            form.conflict_flags = services.conflict_flags(
                form.cleaned_data["reviewer"], self.application.startup
            )

    def success_url(self, name):
        anchors = {
            "assign": "#reviews",
            "unassign": "#reviews",
            "approve": "#investment",
            "add_tranche": "#investment",
        }
        return self.request.path + anchors.get(name, "")

    # --- the actions ----------------------------------------------------------------------------

    def _move(self, service, form) -> str:
        """Runs one of the services that move the application from the stage the manager saw."""
        application = service(
            user=self.request.user,
            application=self.application,
            note=form.cleaned_data["note"],
            expected_status=form.cleaned_data["seen_status"],
        )
        return _("%(startup)s: %(status)s.") % {
            "startup": application.startup.name,
            "status": application.get_status_display(),
        }

    def run_advance(self, form):
        return self._move(services.application_advance, form)

    def run_request_info(self, form):
        return self._move(services.application_request_info, form)

    def run_reject(self, form):
        return self._move(services.application_reject, form)

    def run_approve(self, form):
        investment = services.application_approve(
            user=self.request.user,
            application=self.application,
            expected_status=form.cleaned_data["seen_status"],
            **form.terms(),
        )
        return _("Investment approved: %(amount)s in %(startup)s. Plan its tranches below.") % {
            "amount": format_vnd(investment.amount_vnd),
            "startup": self.application.startup.name,
        }

    def run_assign(self, form):
        reviewer = form.cleaned_data["reviewer"]
        services.reviewer_assign(
            user=self.request.user,
            application=self.application,
            reviewer=reviewer,
            override_reason=form.cleaned_data["override_reason"],
        )
        return _("%(reviewer)s is assigned.") % {"reviewer": reviewer.email}

    def run_unassign(self, form):
        assignment = form.cleaned_data["assignment"]
        services.reviewer_unassign(user=self.request.user, assignment=assignment)
        return _("%(reviewer)s is unassigned.") % {"reviewer": assignment.reviewer.email}

    def run_add_tranche(self, form):
        if self.investment is None:
            raise PortalError(
                _("Tranches are planned once the committee has approved an investment."),
                code="invalid_transition",
                status_code=409,
            )
        tranche = services.tranche_add(
            user=self.request.user, investment=self.investment, **form.values()
        )
        return _("Tranche %(number)d is planned.") % {"number": tranche.number}
