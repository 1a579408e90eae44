from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StartupsConfig(AppConfig):
    name = "startups"
    verbose_name = _("Startup registry")

    def ready(self):
        from portal.files.permissions import register_file_access

        from .models import Startup
        from .permissions import can_view_startup_document

        register_file_access(Startup, can_view_startup_document)
