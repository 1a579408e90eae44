"""Two fund managers pressing the same button on the same application page at the same moment:
only one succeeds. "Move on" is relative to where the application is, so the page checks, under
the application's row lock, that it is still at the stage the manager saw.

Only PostgreSQL shows the race (SQLite serialises whole-database writes); CI runs on PostgreSQL
with REQUIRE_POSTGRES=1, under which a missing PostgreSQL fails instead of skipping."""

import pytest
from django.test import Client

from fund.models import ApplicationStatus, ApplicationStep
from portal.accounts.roles import Role
from tests.factories import make_user, with_mfa
from tests.factories.fund import make_application
from tests.fund.test_concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def signed_in_manager() -> Client:
    client = Client()
    client.force_login(with_mfa(make_user(Role.FUND_MANAGER)))
    return client


@pytest.mark.parametrize(
    "action,fields",
    [("advance", {}), ("reject", {"note": "Chưa phù hợp."})],
)
def test_two_managers_acting_on_one_application_at_once(action, fields):
    application = make_application(status=ApplicationStatus.SUBMITTED)
    url = f"/admin/fund/applications/{application.pk}/"
    data = {
        "action": action,
        f"{action}-seen_status": ApplicationStatus.SUBMITTED,
        **{f"{action}-{name}": value for name, value in fields.items()},
    }
    first, second = signed_in_manager(), signed_in_manager()

    outcomes = race(lambda: first.post(url, data), lambda: second.post(url, data))

    assert sorted(response.status_code for response in outcomes) == [200, 302], outcomes
    application.refresh_from_db()
    expected = ApplicationStatus.SCREENING if action == "advance" else ApplicationStatus.REJECTED
    assert application.status == expected
    moves = ApplicationStep.objects.filter(
        application=application, from_status=ApplicationStatus.SUBMITTED
    )
    assert moves.count() == 1
    assert not ApplicationStep.objects.filter(
        application=application, from_status=ApplicationStatus.SCREENING
    ).exists()
