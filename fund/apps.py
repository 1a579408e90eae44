from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("Venture fund")

    def ready(self):
        from portal.files.permissions import register_file_access

        from .models import Application, Tranche
        from .permissions import can_view_application, can_view_tranche

        # Pitch decks, statements, cap tables and tranche evidence: the startup's members, fund
        # managers and cleared reviewers only.
        register_file_access(Application, can_view_application)
        register_file_access(Tranche, can_view_tranche)
