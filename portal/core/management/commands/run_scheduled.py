from django.core.management.base import BaseCommand, CommandError

from portal.core.scheduling import run_due_jobs, scheduled_jobs


class Command(BaseCommand):
    help = "Runs the scheduled jobs that are due. Safe to run every few minutes from cron."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", dest="list_jobs", help="list the jobs and stop"
        )
        parser.add_argument("--job", help="consider only this job")
        parser.add_argument("--force", action="store_true", help="run even if not yet due")

    def handle(self, *args, list_jobs=False, job=None, force=False, **options):
        jobs = scheduled_jobs()
        if job and job not in {j.name for j in jobs}:
            raise CommandError(f"Unknown job {job!r}; see --list")
        if list_jobs:
            for scheduled in jobs:
                self.stdout.write(f"{scheduled.name:<40} every {scheduled.every}")
            return
        ran = 0
        for name, succeeded, message in run_due_jobs(only=job, force=force):
            ran += 1
            style = self.style.SUCCESS if succeeded else self.style.ERROR
            self.stdout.write(style(f"{name}: {message}"))
        if not ran:
            self.stdout.write("Nothing was due.")
