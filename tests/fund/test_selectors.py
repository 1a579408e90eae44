"""The fund's reads: its figures against hand-computed values on a known dataset, the pipeline
funnel, the queue position of a waiting application, and aggregated review scores."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from fund import selectors, services
from fund.models import Application, ApplicationStatus, Criterion
from portal.accounts.roles import Role
from tests.factories import make_user
from tests.factories.fund import (
    BILLION,
    full_scores,
    make_application,
    make_call,
    make_fund,
)

pytestmark = pytest.mark.django_db

S = ApplicationStatus
TODAY = date.today()


@pytest.fixture
def manager():
    return make_user(Role.FUND_MANAGER)


def _tranche(manager, investment, amount, planned_on, *, disbursed=False):
    tranche = services.tranche_add(
        user=manager, investment=investment, amount_vnd=amount, planned_on=planned_on
    )
    if disbursed:
        services.tranche_approve_requirements(user=manager, tranche=tranche)
        services.tranche_disburse(user=manager, tranche=tranche, disbursed_on=planned_on)
    return tranche


@pytest.fixture
def dataset(manager):
    """Capital of 600 bn (city) + 100 bn (private). Two investments:
    A: 10 bn, co-investors 3 + 1 bn; tranches 4 bn disbursed, 3 bn planned 10 days ago
       (overdue), 3 bn planned in a month;
    B: 5 bn, co-investor 2 bn; one 5 bn tranche disbursed.
    Besides: C submitted 30 days ago (overdue), D rejected after submission, E withdrawn as a
    draft, F a draft, G asked for information during due diligence; and another fund's
    investment of 7 bn, all disbursed."""
    fund = make_fund(
        capital=(
            ("city_budget", "UBND TP Hà Nội", 600 * BILLION),
            ("private_investor", "Quỹ Đổi mới Sông Hồng", 100 * BILLION),
        )
    )
    # Open long enough for an application submitted a month ago.
    call = make_call(fund=fund, opens_on=TODAY - timedelta(days=60))

    def application(status, **fields):
        return make_application(status=status, call=call, manager=manager, **fields)

    a = application(
        S.APPROVED,
        amount_requested_vnd=10 * BILLION,
        co_investors=[("VinaCapital", 3 * BILLION), ("Nhà đầu tư thiên thần", BILLION)],
    ).investment
    _tranche(manager, a, 4 * BILLION, TODAY - timedelta(days=40), disbursed=True)
    _tranche(manager, a, 3 * BILLION, TODAY - timedelta(days=10))
    _tranche(manager, a, 3 * BILLION, TODAY + timedelta(days=30))
    b = application(
        S.APPROVED, amount_requested_vnd=5 * BILLION, co_investors=[("ESP Capital", 2 * BILLION)]
    ).investment
    _tranche(manager, b, 5 * BILLION, TODAY - timedelta(days=5), disbursed=True)
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        overdue = application(S.SUBMITTED)
    application(S.REJECTED)
    application(S.WITHDRAWN)
    application(S.DRAFT, co_investors=[("Không tính", 9 * BILLION)])
    asked = services.application_request_info(
        user=manager, application=application(S.DUE_DILIGENCE), note="Gửi hợp đồng."
    )

    other_fund = make_fund(name="Quỹ khác", capital=(("city_budget", "UBND", 50 * BILLION),))
    other = make_application(
        status=S.APPROVED,
        call=make_call(fund=other_fund),
        manager=manager,
        amount_requested_vnd=7 * BILLION,
        co_investors=[("Quỹ ngoài", BILLION)],
    ).investment
    _tranche(manager, other, 7 * BILLION, TODAY - timedelta(days=1), disbursed=True)
    return {"fund": fund, "other_fund": other_fund, "overdue": overdue, "asked": asked}


def test_fund_figures_match_the_hand_computed_values(dataset):
    figures = selectors.fund_figures(dataset["fund"])
    assert figures.target_vnd == 1_000 * BILLION
    assert figures.committed_capital_vnd == 700 * BILLION
    assert figures.capital_by_source == {
        "city_budget": 600 * BILLION,
        "private_investor": 100 * BILLION,
    }
    assert figures.capital_share_of_target == Decimal("0.7")
    assert figures.investments == 2
    assert figures.invested_vnd == 15 * BILLION
    assert figures.disbursed_vnd == 9 * BILLION
    assert figures.remaining_to_disburse_vnd == 6 * BILLION
    assert figures.uninvested_capital_vnd == 685 * BILLION
    assert figures.disbursement_rate == Decimal("0.6")
    assert figures.co_investment_vnd == 6 * BILLION
    assert figures.overdue_tranches == 1
    assert figures.overdue_tranches_vnd == 3 * BILLION
    assert figures.overdue_applications == 1


def test_fund_figures_of_all_funds_add_the_other_fund(dataset):
    figures = selectors.fund_figures()
    assert figures.target_vnd == 2_000 * BILLION
    assert figures.committed_capital_vnd == 750 * BILLION
    assert figures.capital_by_source == {
        "city_budget": 650 * BILLION,
        "private_investor": 100 * BILLION,
    }
    assert figures.investments == 3
    assert figures.invested_vnd == 22 * BILLION
    assert figures.disbursed_vnd == 16 * BILLION
    assert figures.disbursement_rate == Decimal(16) / Decimal(22)
    assert figures.co_investment_vnd == 7 * BILLION
    assert figures.overdue_tranches == 1


def test_a_fund_without_investments_has_no_disbursement_rate():
    figures = selectors.fund_figures(make_fund(capital=()))
    assert figures.committed_capital_vnd == 0
    assert figures.invested_vnd == figures.disbursed_vnd == 0
    assert figures.disbursement_rate is None
    assert figures.capital_share_of_target == Decimal(0)
    assert all(count == 0 for _status, _label, count in figures.funnel)


def test_the_funnel_counts_how_far_each_application_got(dataset):
    # Reached at least: submitted A B C D G; screening A B G; due diligence A B G; committee
    # A B; approved A B. Ended: D rejected, E withdrawn. The draft F is nowhere.
    expected = [
        ("submitted", 5),
        ("screening", 3),
        ("due_diligence", 3),
        ("committee", 2),
        ("approved", 2),
        ("rejected", 1),
        ("withdrawn", 1),
    ]
    applications = Application.objects.filter(call__fund=dataset["fund"])
    funnel = selectors.pipeline_funnel(applications)
    assert [(status, count) for status, _label, count in funnel] == expected
    assert [label for _status, label, _count in funnel][0] == S.SUBMITTED.label
    assert [(s, n) for s, _l, n in selectors.fund_figures(dataset["fund"]).funnel] == expected


def test_the_queue_position_follows_the_time_waited_in_the_stage(manager):
    call = make_call()
    now = timezone.now()
    waiting = []
    for days_ago in (3, 1, 2):
        with time_machine.travel(now - timedelta(days=days_ago)):
            waiting.append(make_application(status=S.SUBMITTED, call=call, manager=manager))
    oldest, newest, middle = waiting
    assert [selectors.queue_position(a) for a in (oldest, middle, newest)] == [1, 2, 3]
    # Another stage has its own queue; a later arrival there does not move this one.
    screening = make_application(status=S.SCREENING, call=call, manager=manager)
    assert selectors.queue_position(screening) == 1
    assert selectors.queue_position(newest) == 3
    # An application of another fund waits in that fund's queue.
    with time_machine.travel(now - timedelta(days=10)):
        elsewhere = make_application(
            status=S.SUBMITTED, call=make_call(fund=make_fund(name="Quỹ khác")), manager=manager
        )
    assert selectors.queue_position(elsewhere) == 1
    assert selectors.queue_position(oldest) == 1
    # Moving on: the others move up, and it joins the next queue behind who is already there.
    services.application_advance(user=manager, application=oldest)
    assert selectors.queue_position(middle) == 1
    assert selectors.queue_position(newest) == 2
    assert selectors.queue_position(Application.objects.get(pk=oldest.pk)) == 2


@pytest.mark.parametrize("status", [S.DRAFT, S.INFO_REQUESTED, S.APPROVED, S.REJECTED])
def test_an_application_not_waiting_for_the_fund_has_no_queue_position(manager, status):
    assert selectors.queue_position(make_application(status=status, manager=manager)) is None


def test_the_score_summary_averages_submitted_reviews_only(manager):
    application = make_application(status=S.SCREENING, manager=manager)
    reviewers = [make_user(Role.REVIEWER) for _ in range(4)]
    assignments = [
        services.reviewer_assign(user=manager, application=application, reviewer=reviewer)
        for reviewer in reviewers
    ]
    for reviewer, assignment in zip(reviewers, assignments, strict=True):
        if reviewer is reviewers[2]:
            services.assignment_declare(
                user=reviewer, assignment=assignment, has_conflict=True, note="Người thân"
            )
        else:
            services.assignment_declare(user=reviewer, assignment=assignment, has_conflict=False)
    services.review_submit(
        user=reviewers[0],
        assignment=assignments[0],
        scores={**full_scores(4), Criterion.TEAM: (2, "Thiếu CTO")},
        recommendation="invest_with_conditions",
    )
    services.review_submit(
        user=reviewers[1], assignment=assignments[1], scores=full_scores(5), recommendation="invest"
    )
    # reviewers[3] declared but has not submitted; reviewers[2] recused.
    summary = selectors.score_summary(application)
    assert summary.reviews == 2
    averages = dict(summary.by_criterion)
    assert averages[Criterion.TEAM.label] == Decimal("3.50")
    assert all(
        averages[criterion.label] == Decimal("4.50")
        for criterion in Criterion
        if criterion != Criterion.TEAM
    )
    assert [label for label, _avg in summary.by_criterion] == [c.label for c in Criterion]
    assert summary.overall == Decimal("4.33")  # (2 + 5×4 + 6×5) / 12
    assert summary.recommendations == {"invest_with_conditions": 1, "invest": 1}
    assert assignments[0].average_score == pytest.approx(22 / 6)


def test_a_score_summary_without_reviews_is_empty(manager):
    summary = selectors.score_summary(make_application(status=S.SCREENING, manager=manager))
    assert summary.reviews == 0
    assert summary.overall is None
    assert all(average is None for _label, average in summary.by_criterion)
    assert summary.recommendations == {}


def test_reviews_are_visible_to_a_reviewer_only_after_their_own(manager):
    application = make_application(status=S.SCREENING, manager=manager)
    first, second = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    for reviewer in (first, second):
        assignment = services.reviewer_assign(
            user=manager, application=application, reviewer=reviewer
        )
        services.assignment_declare(user=reviewer, assignment=assignment, has_conflict=False)
    services.review_submit(
        user=first,
        assignment=application.assignments.get(reviewer=first),
        scores=full_scores(),
        recommendation="invest",
    )

    def visible(user):
        fresh = Application.objects.get(pk=application.pk)
        return {a.reviewer for a in selectors.visible_assignments(user, fresh)}

    assert visible(second) == {second}
    assert visible(first) == {first, second}
    assert visible(manager) == {first, second}
    assert visible(make_user(Role.REVIEWER)) == set()
