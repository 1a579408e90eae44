from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechExchangeConfig(AppConfig):
    name = "tech_exchange"
    verbose_name = _("Technology exchange")

    def ready(self):
        from portal.files.permissions import register_file_access

        from .models import Listing
        from .permissions import can_review_listings, is_owner

        # Through the generic file view only the owner and staff; the public and NDA-holders get
        # documents through the exchange's own view, which knows which document is confidential.
        register_file_access(
            Listing, lambda user, listing: is_owner(user, listing) or can_review_listings(user)
        )
