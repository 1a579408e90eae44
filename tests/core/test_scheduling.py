import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail import hooks

from portal.core.models import ScheduledJobRun
from portal.core.scheduling import ScheduledJob, run_due_jobs

calls = []


def _record(since):
    calls.append(since)
    return "recorded"


def _fail(since):
    raise RuntimeError("upstream down")


@pytest.fixture
def jobs():
    calls.clear()
    with hooks.register_temporarily(
        "register_scheduled_job",
        lambda: [
            ScheduledJob("test.record", timedelta(hours=1), _record),
            ScheduledJob("test.fail", timedelta(hours=1), _fail),
        ],
    ):
        yield


@pytest.mark.django_db
def test_a_job_runs_when_due_and_not_again_within_its_interval(jobs):
    start = timezone.now()
    assert [name for name, *_ in run_due_jobs(now=start, only="test.record")] == ["test.record"]
    assert list(run_due_jobs(now=start + timedelta(minutes=59), only="test.record")) == []
    later = start + timedelta(hours=1)
    assert [name for name, *_ in run_due_jobs(now=later, only="test.record")] == ["test.record"]
    assert calls[1] == start  # each run learns when the previous one started


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_does_not_stop_the_others(jobs):
    outcomes = {name: (ok, message) for name, ok, message in run_due_jobs()}
    assert outcomes["test.fail"] == (False, "RuntimeError: upstream down")
    assert outcomes["test.record"] == (True, "recorded")
    run = ScheduledJobRun.objects.get(name="test.fail")
    assert run.last_succeeded is False and run.last_finished_at


@pytest.mark.django_db
def test_a_claimed_job_is_not_claimed_twice(jobs):
    now = timezone.now()
    ScheduledJobRun.objects.create(name="test.record", last_started_at=now - timedelta(hours=2))
    first = list(run_due_jobs(now=now, only="test.record"))
    second = list(run_due_jobs(now=now, only="test.record"))
    assert len(first) == 1 and second == []


@pytest.mark.django_db
def test_command_lists_forces_and_refuses_unknown_jobs(jobs):
    out = io.StringIO()
    call_command("run_scheduled", "--list", stdout=out)
    assert "test.record" in out.getvalue() and "search.saved_search_alerts" in out.getvalue()
    call_command("run_scheduled", "--job", "test.record", stdout=io.StringIO())
    call_command("run_scheduled", "--job", "test.record", "--force", stdout=io.StringIO())
    assert len(calls) == 2
    with pytest.raises(CommandError):
        call_command("run_scheduled", "--job", "nope", stdout=io.StringIO())
