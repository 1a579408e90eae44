from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Discovery")

    def ready(self):
        # Each app declares its searchable types in its own `discovery.py`.
        autodiscover_modules("discovery")
        from . import signals

        signals.connect()
