"""Two fund managers acting on the same application at the same moment must not both succeed:
the services lock the application's row and check its status inside the transaction.

Only PostgreSQL shows this: SQLite serialises whole-database writes, so the race cannot happen
there. CI runs on PostgreSQL with REQUIRE_POSTGRES=1, under which a missing PostgreSQL fails
instead of skipping."""

import threading

import pytest
from django.db import connection

from fund import services
from fund.models import Application, ApplicationStatus, ApplicationStep, Investment
from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from tests.factories import make_user
from tests.factories.fund import BILLION, make_application
from tests.fund.test_services import submitted_reviews

# Committed data, so the threads' connections see it; the serialised rollback restores the role
# groups the migrations created, which the flush between tests would otherwise wipe.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

S = ApplicationStatus


def race(*calls):
    """Runs each call in its own thread (so on its own database connection), all released at
    the same moment; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 -- the outcome is what the test examines
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck on a lock"
    return outcomes


def one_wins(outcomes) -> int:
    """Exactly one call succeeded and the other was refused as an invalid transition; returns
    the index of the winner."""
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], PortalError), refused[0]
    assert refused[0].code == "invalid_transition"
    return next(i for i, outcome in enumerate(outcomes) if not isinstance(outcome, Exception))


@pytest.fixture
def managers():
    return make_user(Role.FUND_MANAGER), make_user(Role.FUND_MANAGER)


def both_move_on(managers, application, seen_status):
    """Each manager moves the application on at the same moment, from the stage both saw."""
    return race(
        *(
            lambda manager=manager: services.application_advance(
                user=manager,
                application=Application.objects.get(pk=application.pk),
                expected_status=seen_status,
            )
            for manager in managers
        )
    )


def test_two_managers_sending_an_application_to_the_committee(managers):
    first = managers[0]
    application = make_application(status=S.SCREENING, manager=first)
    application = services.application_advance(user=first, application=application)
    submitted_reviews(application, first)
    steps = ApplicationStep.objects.filter(application=application).count()

    winner = one_wins(both_move_on(managers, application, S.DUE_DILIGENCE))
    application.refresh_from_db()
    assert application.status == S.COMMITTEE
    assert ApplicationStep.objects.filter(application=application).count() == steps + 1
    step = application.steps.order_by("pk").last()
    assert (step.from_status, step.to_status) == (S.DUE_DILIGENCE, S.COMMITTEE)
    assert step.actor == managers[winner]


def test_a_committee_approval_and_a_rejection_at_the_same_moment(managers):
    first, second = managers
    application = make_application(status=S.COMMITTEE, manager=first)
    steps = ApplicationStep.objects.filter(application=application).count()

    outcomes = race(
        lambda: services.application_approve(
            user=first,
            application=Application.objects.get(pk=application.pk),
            amount_vnd=5 * BILLION,
            instrument="equity",
            pre_money_valuation_vnd=40 * BILLION,
        ),
        lambda: services.application_reject(
            user=second,
            application=Application.objects.get(pk=application.pk),
            note="Hội đồng không thông qua.",
        ),
    )
    winner = one_wins(outcomes)
    application.refresh_from_db()
    assert ApplicationStep.objects.filter(application=application).count() == steps + 1
    if winner == 0:
        assert application.status == S.APPROVED
        assert Investment.objects.filter(application=application).exists()
    else:
        assert application.status == S.REJECTED
        assert not Investment.objects.filter(application=application).exists()


def test_two_managers_moving_a_submitted_application_on_move_it_once(managers):
    application = make_application(status=S.SUBMITTED, manager=managers[0])
    one_wins(both_move_on(managers, application, S.SUBMITTED))
    application.refresh_from_db()
    assert application.status == S.SCREENING
