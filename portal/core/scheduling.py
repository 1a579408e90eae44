"""Scheduled work, run by `manage.py run_scheduled` from cron or a timer every few minutes.

Apps declare jobs with the `register_scheduled_job` hook, returning `ScheduledJob`s. A job runs
when its interval has passed since it last started; two runners started together never run
the same job twice, because claiming a job is a compare-and-set on its row.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail import hooks

from .models import ScheduledJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    every: timedelta
    run: Callable[[datetime], str]  # gets the time of the previous run's start; returns a summary


def scheduled_jobs() -> list[ScheduledJob]:
    return [job for register in hooks.get_hooks("register_scheduled_job") for job in register()]


def _claim(job: ScheduledJob, now: datetime, force: bool) -> tuple[bool, datetime | None]:
    """Marks `job` started if due; returns whether this runner got it and when it last started."""
    try:
        with transaction.atomic():
            run, _ = ScheduledJobRun.objects.get_or_create(name=job.name)
    except IntegrityError:  # another runner created the row at the same moment
        run = ScheduledJobRun.objects.get(name=job.name)
    previous = run.last_started_at
    if not force and previous and now - previous < job.every:
        return False, previous
    unchanged = ScheduledJobRun.objects.filter(pk=run.pk)
    unchanged = (
        unchanged.filter(last_started_at=previous)
        if previous
        else unchanged.filter(last_started_at__isnull=True)
    )
    return bool(unchanged.update(last_started_at=now)), previous


def run_due_jobs(*, now: datetime | None = None, only: str | None = None, force: bool = False):
    """Runs every due job (or just `only`); yields (job name, outcome) for each one run."""
    now = now or timezone.now()
    for job in scheduled_jobs():
        if only and job.name != only:
            continue
        claimed, previous = _claim(job, now, force)
        if not claimed:
            continue
        try:
            message = job.run(previous or now - job.every)
            succeeded = True
        except Exception as exc:  # one failing job must not stop the others; it is recorded
            logger.exception("scheduled job %s failed", job.name)
            message, succeeded = f"{type(exc).__name__}: {exc}", False
        ScheduledJobRun.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_succeeded=succeeded, last_message=message
        )
        yield job.name, succeeded, message
