from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from search import registry
from search.engines import get_engine

ENGINES = {
    "database": "search.engines.database.DatabaseEngine",
    "elasticsearch": "search.engines.elasticsearch.ElasticsearchEngine",
}
BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuilds the discovery index from every public record; searches keep working meanwhile."

    def add_arguments(self, parser):
        parser.add_argument("--engine", choices=sorted(ENGINES), help="default: the configured one")
        parser.add_argument(
            "--type", action="append", dest="types", default=[], help="only this type (repeatable)"
        )

    def handle(self, *args, engine=None, types=(), **options):
        unknown = set(types) - {adapter.name for adapter in registry.adapters()}
        if unknown:
            raise CommandError(f"Unknown type(s): {', '.join(sorted(unknown))}")
        target = import_string(ENGINES[engine])() if engine else get_engine()
        self.stdout.write(f"Rebuilding with the {target.name} engine…")
        counts = target.rebuild(registry.adapters(types), progress=self._progress)
        self.stdout.write("")
        for name, count in counts.items():
            self.stdout.write(f"  {name:<20} {count:>8} documents")
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(counts.values())} documents."))

    def _progress(self, name: str, done: int, total: int) -> None:
        filled = BAR_WIDTH if not total else round(BAR_WIDTH * done / total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stdout.write(f"\r  {name:<20} [{bar}] {done}/{total}", ending="")
        self.stdout.flush()
