from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechExchangeConfig(AppConfig):
    name = "tech_exchange"
    verbose_name = _("Technology exchange")
