from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from portal.accounts.models import User
from portal.core.exceptions import PortalError
from startups import imports, permissions

BAR_WIDTH = 30
SHOWN_REJECTIONS = 20


class Command(BaseCommand):
    help = (
        "Imports startups from a CSV or XLSX file: each row is created, updated (matched by "
        "enterprise code), left unchanged or rejected with its reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would happen; write nothing"
        )
        parser.add_argument("--report", help="write the per-row report (CSV) to this path")
        parser.add_argument(
            "--user", help="email of the department staff member recorded as the importer"
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the reasons in the report",
        )

    def handle(self, *args, file, dry_run=False, report=None, user=None, language="vi", **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > imports.MAX_BYTES:
            raise CommandError(
                f"The file is too large ({path.stat().st_size / 1024 / 1024:.1f} MB); "
                f"the limit is {imports.MAX_BYTES // 1024 // 1024} MB."
            )
        actor = self._actor(user)
        with translation.override(language):
            try:
                result = imports.import_startups(
                    data=path.read_bytes(),
                    user=actor,
                    commit=not dry_run,
                    file_name=path.name,
                    progress=self._progress,
                )
            except PortalError as error:
                raise CommandError(str(error.message)) from None
            self.stdout.write("")
            self._summary(result, dry_run)
            if report:
                Path(report).write_bytes(result.to_csv())
                self.stdout.write(f"Report written to {report}")

    def _actor(self, email: str | None) -> User | None:
        if not email:
            return None
        actor = User.objects.filter(email__iexact=email).first()
        if actor is None:
            raise CommandError(f"No account with the email {email}.")
        if not permissions.can_import_startups(actor):
            raise CommandError(f"{email} is not department staff or an administrator.")
        return actor

    def _progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH if not total else round(BAR_WIDTH * done / total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stdout.write(f"\r  rows [{bar}] {done}/{total}", ending="")
        self.stdout.flush()

    def _summary(self, result: imports.ImportReport, dry_run: bool) -> None:
        if result.unknown_columns:
            columns = ", ".join(f"“{c}”" for c in result.unknown_columns)
            self.stdout.write(self.style.WARNING(f"Unknown columns, ignored: {columns}"))
        rejected = [r for r in result.results if r.outcome == imports.Outcome.REJECTED]
        for row in rejected[:SHOWN_REJECTIONS]:
            self.stdout.write(f"  row {row.row} ({row.enterprise_code or '—'}): {row.reason}")
        if len(rejected) > SHOWN_REJECTIONS:
            self.stdout.write(f"  … and {len(rejected) - SHOWN_REJECTIONS} more rejected rows")
        counts = ", ".join(f"{count} {outcome}" for outcome, count in result.counts.items())
        prefix = "Dry run, nothing written: would be " if dry_run else "Done: "
        style = self.style.WARNING if rejected else self.style.SUCCESS
        self.stdout.write(style(f"{prefix}{counts} ({result.total} rows)."))
