"""Reads of the fund that more than one place needs: calls, the applicant's view of their
applications, reviewers' queues, aggregated scores and the fund's figures."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Case, Count, F, Max, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import get_language

from startups.models import Startup, Status
from startups.permissions import is_member

from . import permissions
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    PIPELINE,
    Application,
    ApplicationStatus,
    ApplicationStep,
    Assignment,
    CallPage,
    CapitalSource,
    CoInvestor,
    Criterion,
    Fund,
    FundIndexPage,
    Investment,
    Score,
    Tranche,
    TrancheStatus,
)

# --- calls -------------------------------------------------------------------------------------


def calls_by_phase(index: FundIndexPage) -> dict[str, list[CallPage]]:
    """The live calls under `index`: open (closing soonest first), upcoming, then closed."""
    today = timezone.localdate()
    calls = CallPage.objects.live().public().child_of(index).specific()
    phases: dict[str, list[CallPage]] = {"open": [], "upcoming": [], "closed": []}
    for call in sorted(calls, key=lambda call: call.closes_on):
        phases[call.phase(today)].append(call)
    phases["closed"].reverse()
    return phases


def fund_index_url(request=None) -> str:
    """The fund's landing page in the active language ("" before it is published)."""
    index = (
        FundIndexPage.objects.live().public().filter(locale__language_code=get_language()).first()
    )
    index = index or FundIndexPage.objects.live().public().first()
    return (index.get_url(request) or "") if index else ""


def open_calls() -> QuerySet:
    today = timezone.localdate()
    return CallPage.objects.live().filter(opens_on__lte=today, closes_on__gte=today)


@dataclass
class ApplyChoices:
    """What the call page offers the visitor: which of their startups may apply, and why the
    others may not."""

    is_open: bool
    signed_in: bool
    startups: list[Startup] = field(default_factory=list)
    applied: dict[int, Application] = field(default_factory=dict)
    unverified: list[Startup] = field(default_factory=list)


def apply_choices(user, call: CallPage) -> ApplyChoices:
    choices = ApplyChoices(is_open=call.is_open(), signed_in=user.is_authenticated)
    if not user.is_authenticated:
        return choices
    startups = Startup.objects.filter(memberships__user=user).order_by("name")
    applied = {
        application.startup_id: application
        for application in Application.objects.filter(call=call, startup__in=startups).exclude(
            status=ApplicationStatus.WITHDRAWN
        )
    }
    for startup in startups:
        if startup.status != Status.VERIFIED:
            choices.unverified.append(startup)
        else:
            choices.startups.append(startup)
    choices.applied = applied
    return choices


# --- applications ------------------------------------------------------------------------------


def with_application_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("call", "call__fund", "startup", "applicant")


def applications_of(user) -> QuerySet:
    """Applications of every startup the user belongs to, newest first."""
    return with_application_relations(
        Application.objects.filter(startup__memberships__user=user)
    ).order_by("-created_at", "-pk")


def application_for_applicant(user, pk: int) -> Application | None:
    application = (
        with_application_relations(Application.objects.filter(pk=pk))
        .prefetch_related("co_investors", "attachments__file", "steps__actor")
        .first()
    )
    if application is None or not is_member(user, application.startup):
        return None
    return application


def questions_as_asked(application: Application) -> list[tuple[str, str]]:
    """(question, answer) for each question as the call asked it when the application was
    submitted."""
    answers = application.answers or {}
    return [
        (asked["text"], answers.get(str(asked["id"]), "")) for asked in application.questions_asked
    ]


def answered_questions(application: Application) -> list[tuple[str, str]]:
    """(question, answer): the questions as they were asked once submitted, the call's current
    ones for a draft."""
    if application.questions_asked:
        return questions_as_asked(application)
    answers = application.answers or {}
    return [
        (question.text, answers.get(str(question.pk), ""))
        for question in application.call.questions.all()
    ]


def queue_position(application: Application) -> int | None:
    """1 for the application that has waited longest in its stage; None when not waiting for the
    fund."""
    if application.status not in OPEN_STATUSES - {ApplicationStatus.INFO_REQUESTED}:
        return None
    ahead = Application.objects.filter(
        call__fund_id=application.call.fund_id,
        status=application.status,
        stage_started_at__lt=application.stage_started_at,
    ).count()
    return ahead + 1


def pipeline_applications() -> QuerySet:
    """Every submitted application, for fund managers' queues."""
    return with_application_relations(
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
    ).annotate(
        reviews_submitted=Count(
            "assignments",
            filter=Q(assignments__submitted_at__isnull=False, assignments__recused_at__isnull=True),
        ),
        reviewers=Count("assignments", filter=Q(assignments__recused_at__isnull=True)),
    )


def overdue_applications() -> QuerySet:
    """Applications past their stage's service deadline, the longest overdue first."""
    return with_application_relations(
        Application.objects.filter(status__in=OPEN_STATUSES, stage_due_at__lt=timezone.now())
    ).order_by("stage_due_at", "pk")


def assignments_of(reviewer) -> QuerySet:
    """The reviewer's assignments, waiting ones first."""
    return (
        Assignment.objects.filter(reviewer=reviewer)
        .select_related("application__call", "application__startup")
        .order_by(F("submitted_at").asc(nulls_first=True), "-assigned_at", "-pk")
    )


def assignments_for(application: Application) -> list[Assignment]:
    return list(
        application.assignments.select_related("reviewer", "assigned_by").prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("pk"))
        )
    )


@dataclass
class ScoreSummary:
    """Average score per criterion over submitted reviews, and the recommendations."""

    reviews: int
    by_criterion: list[tuple[str, Decimal | None]]
    overall: Decimal | None
    recommendations: dict[str, int]


def score_summary(application: Application) -> ScoreSummary:
    scores = Score.objects.filter(
        assignment__application=application,
        assignment__submitted_at__isnull=False,
        assignment__recused_at__isnull=True,
    )
    averages = dict(scores.values_list("criterion").annotate(avg=Avg("score")))
    overall = scores.aggregate(avg=Avg("score"))["avg"]
    submitted = application.assignments.filter(submitted_at__isnull=False, recused_at__isnull=True)
    recommendations = dict(
        submitted.values_list("recommendation").annotate(n=Count("pk")).order_by()
    )

    def rounded(value):
        return None if value is None else Decimal(value).quantize(Decimal("0.01"))

    return ScoreSummary(
        reviews=submitted.count(),
        by_criterion=[
            (criterion.label, rounded(averages.get(criterion))) for criterion in Criterion
        ],
        overall=rounded(overall),
        recommendations=recommendations,
    )


def visible_assignments(user, application: Application) -> list[Assignment]:
    """The reviews `user` may read: all of them for managers and for reviewers who submitted
    their own; only their own otherwise."""
    assignments = assignments_for(application)
    if permissions.can_see_all_scores(user, application):
        return assignments
    return [assignment for assignment in assignments if assignment.reviewer_id == user.pk]


# --- tranches ----------------------------------------------------------------------------------


def tranches_of(investment: Investment) -> list[Tranche]:
    return list(investment.tranches.prefetch_related("evidence__file", "steps__actor"))


def overdue_tranches() -> QuerySet:
    return (
        Tranche.objects.exclude(status=TrancheStatus.DISBURSED)
        .filter(planned_on__lt=timezone.localdate())
        .select_related("investment__application__startup")
        .order_by("planned_on")
    )


# --- figures -----------------------------------------------------------------------------------


@dataclass
class FundFigures:
    target_vnd: int
    committed_capital_vnd: int
    capital_by_source: dict[str, int]
    invested_vnd: int
    disbursed_vnd: int
    remaining_to_disburse_vnd: int
    uninvested_capital_vnd: int
    disbursement_rate: Decimal | None
    co_investment_vnd: int
    funnel: list[tuple[str, str, int]]
    overdue_applications: int
    overdue_tranches: int
    overdue_tranches_vnd: int
    investments: int
    as_of: object

    @property
    def capital_share_of_target(self) -> Decimal | None:
        if not self.target_vnd:
            return None
        return Decimal(self.committed_capital_vnd) / Decimal(self.target_vnd)


def fund_figures(fund: Fund | None = None) -> FundFigures:
    """The fund's position (all funds together when `fund` is None): capital committed by source
    against the target, invested, disbursed and remaining, the disbursement rate (disbursed ÷
    invested), private co-investment matched on approved applications, the pipeline funnel
    and what is overdue. Built from a handful of aggregate queries, whatever the data size."""
    funds = Fund.objects.all() if fund is None else Fund.objects.filter(pk=fund.pk)
    applications = Application.objects.filter(call__fund__in=funds)
    investments = Investment.objects.filter(application__call__fund__in=funds)
    tranches = Tranche.objects.filter(investment__in=investments)

    capital_by_source, target = committed_capital(funds)
    invested = investments.aggregate(total=Sum("amount_vnd"))["total"] or 0
    disbursed = (
        tranches.filter(status=TrancheStatus.DISBURSED).aggregate(total=Sum("amount_vnd"))["total"]
        or 0
    )
    co_investment = (
        CoInvestor.objects.filter(application__in=investments.values("application")).aggregate(
            total=Sum("amount_vnd")
        )["total"]
        or 0
    )
    overdue = tranches.exclude(status=TrancheStatus.DISBURSED).filter(
        planned_on__lt=timezone.localdate()
    )
    overdue_totals = overdue.aggregate(n=Count("pk"), total=Sum("amount_vnd"))
    committed = sum(capital_by_source.values())
    return FundFigures(
        target_vnd=target,
        committed_capital_vnd=committed,
        capital_by_source=capital_by_source,
        invested_vnd=invested,
        disbursed_vnd=disbursed,
        remaining_to_disburse_vnd=invested - disbursed,
        uninvested_capital_vnd=max(committed - invested, 0),
        disbursement_rate=(Decimal(disbursed) / Decimal(invested)) if invested else None,
        co_investment_vnd=co_investment,
        funnel=pipeline_funnel(applications),
        overdue_applications=applications.filter(
            status__in=OPEN_STATUSES, stage_due_at__lt=timezone.now()
        ).count(),
        overdue_tranches=overdue_totals["n"] or 0,
        overdue_tranches_vnd=overdue_totals["total"] or 0,
        investments=investments.count(),
        as_of=timezone.now(),
    )


def committed_capital(funds: QuerySet | None = None) -> tuple[dict[str, int], int]:
    """The capital committed to `funds` (all of them when None) by source, and their target: two
    queries, for the pages that show only the fund's size."""
    funds = Fund.objects.all() if funds is None else funds
    by_source = dict(
        funds.values_list("commitments__source").annotate(total=Sum("commitments__amount_vnd"))
    )
    capital_by_source = {source: by_source.get(source) or 0 for source in CapitalSource.values}
    return capital_by_source, funds.aggregate(total=Sum("target_vnd"))["total"] or 0


def pipeline_funnel(applications: QuerySet) -> list[tuple[str, str, int]]:
    """(status, label, how many applications reached at least that stage) along the pipeline,
    then how many ended rejected or withdrawn."""
    ended = dict(
        applications.exclude(status=ApplicationStatus.DRAFT)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    furthest = _furthest_stage_counts(applications)
    rows = []
    running = 0
    for status in reversed(PIPELINE):
        running += furthest.get(status, 0)
        rows.append((status, ApplicationStatus(status).label, running))
    rows.reverse()
    for status in sorted(CLOSED_STATUSES - {ApplicationStatus.APPROVED}):
        rows.append((status, ApplicationStatus(status).label, ended.get(status, 0)))
    return rows


def _furthest_stage_counts(applications: QuerySet) -> dict[str, int]:
    """How many submitted applications got furthest to each pipeline stage (a rejected or
    withdrawn application counts at the last stage it reached; one waiting for information at
    the stage that asked)."""
    # Each application's furthest stage is found by the database (a MAX over stage positions),
    # so only one number per application is read, not every step.
    position = Case(
        *[When(to_status=status, then=Value(index)) for index, status in enumerate(PIPELINE)]
    )
    furthest = (
        ApplicationStep.objects.filter(application__in=applications, to_status__in=PIPELINE)
        .values("application_id")
        .annotate(furthest=Max(position))
        .values_list("furthest", flat=True)
        .order_by()
    )
    return {PIPELINE[index]: n for index, n in Counter(furthest).items()}
