from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from wagtail import hooks


class Command(BaseCommand):
    help = (
        "Creates realistic demo data through the services; safe to run again. Each app adds "
        "its part with the `register_demo_seeder` hook."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is not allowed with these settings (production).")
        # The demo people are fictitious: what seeding tells them stays in their inboxes.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for seed in hooks.get_hooks("register_demo_seeder"):
                with transaction.atomic():
                    seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demo portal ready at {settings.PORTAL_BASE_URL}/"))
