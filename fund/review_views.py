"""The reviewers' side of the fund in the Wagtail admin: their assignments, the review page and
their declared affiliations.

A reviewer sees nothing of an application but the startup's name and code and the call until
they declare no conflict of interest; then the whole application and the rubric. Other
reviewers' scores appear only once their own review is in. Every write goes through the
services, so the rules, the audit log and the notifications are the same as everywhere else.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from portal.core.exceptions import PortalError
from portal.core.forms import show_refusal

from . import permissions, selectors, services
from .models import REVIEW_STAGES, Application, Assignment, Criterion, Recommendation
from .review_forms import AffiliationForm, DeclarationForm, RubricForm


class ReviewerOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_reviewer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# Where a reviewer stands with one assignment.
AWAITING, RECUSED, REVIEWING, SUBMITTED = "awaiting", "recused", "reviewing", "submitted"
STATE_LABELS = {
    AWAITING: gettext_lazy("Awaiting declaration"),
    RECUSED: gettext_lazy("Recused"),
    REVIEWING: gettext_lazy("Reviewing"),
    SUBMITTED: gettext_lazy("Submitted"),
}


def review_state(assignment: Assignment) -> str:
    if assignment.recused_at is not None:
        return RECUSED
    if assignment.declared_at is None:
        return AWAITING
    return SUBMITTED if assignment.submitted_at is not None else REVIEWING


def assignment_title(assignment: Assignment) -> str:
    application = assignment.application
    return f"{application.startup.name} · {application.call.title}"


# --- my reviews ------------------------------------------------------------------------------


class DeadlineColumn(Column):
    """The service deadline of the application's current stage, flagged when it has passed."""

    cell_template_name = "fund/review/deadline_cell.html"


class MyReviewsView(ReviewerOnlyMixin, BaseListingView):
    page_title = gettext_lazy("My reviews")
    header_icon = "tasks"
    index_url_name = "fund_review_list"
    paginate_by = 20
    verbose_name_plural = gettext_lazy("review assignments")
    columns = [
        TitleColumn(
            "application",
            label=gettext_lazy("Application"),
            accessor=assignment_title,
            url_name="fund_review",
        ),
        DateColumn("assigned_at", label=gettext_lazy("Assigned"), sort_key="assigned_at"),
        StatusTagColumn(
            "state",
            label=gettext_lazy("Status"),
            accessor=lambda assignment: STATE_LABELS[review_state(assignment)],
            primary=lambda assignment: review_state(assignment) in (AWAITING, REVIEWING),
        ),
        DeadlineColumn(
            "deadline", label=gettext_lazy("Stage deadline"), accessor="application.stage_due_at"
        ),
    ]

    def get_base_queryset(self):
        return selectors.assignments_of(self.request.user)


# --- one review ------------------------------------------------------------------------------


class ReviewView(WagtailAdminTemplateMixin, TemplateView):
    """Declaration first; then the application, the rubric and, once the reviewer's own review
    is in, everyone's scores."""

    template_name = "fund/review/review.html"
    header_icon = "tasks"
    DECLARE, REVIEW = "declare", "review"
    FORMS = {DECLARE: DeclarationForm, REVIEW: RubricForm}

    def dispatch(self, request, pk):
        assignment = (
            Assignment.objects.select_related("application__startup", "application__call")
            .filter(pk=pk)
            .first()
        )
        # Someone else's assignment is not even acknowledged to exist.
        if assignment is None or not permissions.can_review(request.user, assignment):
            raise Http404
        self.assignment = assignment
        self.state = review_state(assignment)
        return super().dispatch(request, pk)

    @property
    def offered(self) -> str | None:
        """The form this page shows now, if any."""
        if self.state == AWAITING:
            return self.DECLARE
        if self.state == REVIEWING and self.assignment.application.status in REVIEW_STAGES:
            return self.REVIEW
        return None

    def get_page_title(self):
        return _("Review: %(startup)s") % {"startup": self.assignment.application.startup.name}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("fund_review_list"), "label": _("My reviews")},
            {"url": "", "label": self.assignment.application.startup.name},
        ]

    def get_context_data(self, form=None, **kwargs):
        assignment = self.assignment
        context = {
            "assignment": assignment,
            "state": self.state,
            "state_label": STATE_LABELS[self.state],
            "startup": assignment.application.startup,
            "call": assignment.application.call,
        }
        if self.offered:
            context["form"] = form or self.FORMS[self.offered]()
            context["offered"] = self.offered
        if self.state in (REVIEWING, SUBMITTED):
            context.update(self._application_context())
        return super().get_context_data(**context, **kwargs)

    def _application_context(self) -> dict:
        """What only a reviewer who declared no conflict may see."""
        user = self.request.user
        application = (
            selectors.with_application_relations(
                Application.objects.filter(pk=self.assignment.application_id)
            )
            .prefetch_related("co_investors", "attachments__file", "steps")
            .get()
        )
        context = {
            "application": application,
            "answers": selectors.questions_as_asked(application),
        }
        if permissions.can_see_all_scores(user, application):
            reviews = [
                assignment
                for assignment in selectors.visible_assignments(user, application)
                if assignment.is_submitted
            ]
            summary = selectors.score_summary(application)
            context.update(
                reviews=reviews,
                score_rows=_score_rows(reviews, summary),
                summary=summary,
                recommendations=[
                    (Recommendation(value).label, count)
                    for value, count in summary.recommendations.items()
                ],
            )
        return context

    def post(self, request, pk):
        action = request.POST.get("action")
        if action not in self.FORMS:
            messages.error(request, _("Choose what to do on this page."))
            return redirect(request.path)
        form = self.FORMS[action](request.POST)
        if form.is_valid():
            try:
                success = self._act(action, form)
            except (ValidationError, PortalError) as error:
                show_refusal(form, error)
            else:
                messages.success(request, success)
                return redirect(request.path)
        if action == self.offered:
            return self.render_to_response(self.get_context_data(form=form))
        # A stale or forged post for a form this page no longer shows: say why, change nothing.
        messages.error(request, " ".join(_form_errors(form)))
        return redirect(request.path)

    def _act(self, action: str, form) -> str:
        user, data = self.request.user, form.cleaned_data
        if action == self.DECLARE:
            services.assignment_declare(
                user=user,
                assignment=self.assignment,
                has_conflict=form.has_conflict,
                note=data["note"],
            )
            if form.has_conflict:
                return _(
                    "You declared a conflict of interest and are recused from this application; "
                    "the fund managers will assign someone else."
                )
            return _("Thank you. The application is now open to you.")
        services.review_submit(
            user=user,
            assignment=self.assignment,
            scores=form.scores(),
            recommendation=data["recommendation"],
            comment=data["comment"],
        )
        return _("Your review is submitted. The other reviewers' scores are now shown to you.")


def _form_errors(form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


def _score_rows(reviews: list[Assignment], summary: selectors.ScoreSummary) -> list[dict]:
    """One row per criterion: each submitted review's score and comment, then the average."""
    by_review = [{score.criterion: score for score in review.scores.all()} for review in reviews]
    return [
        {
            "label": label,
            "scores": [scores.get(criterion) for scores in by_review],
            "average": average,
        }
        for criterion, (label, average) in zip(Criterion, summary.by_criterion, strict=True)
    ]


# --- affiliations ----------------------------------------------------------------------------


class AffiliationsView(ReviewerOnlyMixin, WagtailAdminTemplateMixin, FormView):
    """The reviewer's declared ties to startups, and a form to declare one more; assigning them
    to those startups' applications is then flagged as a likely conflict."""

    template_name = "fund/review/affiliations.html"
    form_class = AffiliationForm
    header_icon = "link"
    page_title = gettext_lazy("My affiliations")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        affiliations = self.request.user.fund_affiliations.select_related("startup")
        return super().get_context_data(affiliations=affiliations, **kwargs)

    def form_valid(self, form):
        startup = form.cleaned_data["startup"]
        try:
            services.affiliation_declare(
                user=self.request.user, startup=startup, note=form.cleaned_data["note"]
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your tie to %(startup)s is recorded.") % {"startup": startup.name},
        )
        return redirect("fund_affiliations")


# --- menu and URLs ---------------------------------------------------------------------------


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_reviewer(request.user)


def reviews_menu_item() -> SubmenuMenuItem:
    """The reviewers' own menu, apart from the fund managers' group."""
    menu = Menu(
        items=[
            ReviewerMenuItem(
                gettext_lazy("My reviews"),
                reverse("fund_review_list"),
                name="fund-my-reviews",
                icon_name="tasks",
                order=1,
            ),
            ReviewerMenuItem(
                gettext_lazy("My affiliations"),
                reverse("fund_affiliations"),
                name="fund-affiliations",
                icon_name="link",
                order=2,
            ),
        ]
    )
    return SubmenuMenuItem(
        gettext_lazy("Reviews"), menu, name="fund-reviews", icon_name="tasks", order=230
    )


review_urls = [
    path("fund/reviews/", MyReviewsView.as_view(), name="fund_review_list"),
    path("fund/reviews/<int:pk>/", ReviewView.as_view(), name="fund_review"),
    path("fund/affiliations/", AffiliationsView.as_view(), name="fund_affiliations"),
]
