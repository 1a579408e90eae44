from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.audit import register_audit_actions

from . import (
    admin_hooks,  # noqa: F401
    dashboard_hooks,  # noqa: F401 -- figures and charts for the ecosystem dashboard
    home_hooks,  # noqa: F401
    payment_hooks,  # noqa: F401
    workspace_hooks,  # noqa: F401
)
from .demo import seed_demo_exchange


@hooks.register("register_log_actions")
def register_exchange_actions(actions):
    register_audit_actions(
        actions,
        {
            "tech_exchange.submit": (_("Submit listing"), _("Listing submitted for review")),
            "tech_exchange.publish": (_("Publish listing"), _("Listing published")),
            "tech_exchange.return": (_("Return listing"), _("Listing returned for changes")),
            "tech_exchange.close": (_("Close listing"), _("Listing closed")),
            "tech_exchange.renew": (_("Renew listing"), _("Listing renewed")),
            "tech_exchange.expire": (_("Expire listing"), _("Listing expired")),
            "tech_exchange.document_added": (_("Add document"), _("Document added")),
            "tech_exchange.document_removed": (_("Remove document"), _("Document removed")),
            "tech_exchange.nda": (_("Accept NDA"), _("Confidentiality agreement accepted")),
            "tech_exchange.enquiry": (_("Send enquiry"), _("Enquiry received")),
            "tech_exchange.decline": (_("Decline enquiry"), _("Enquiry declined")),
            "tech_exchange.deal": (_("Record deal"), _("Deal agreed")),
            "tech_exchange.order_paid": (_("Fulfil order"), _("Order paid")),
            "tech_exchange.order_refunded": (_("Refund order"), _("Order refunded")),
            "tech_exchange.featured": (_("Feature listing"), _("Listing featured")),
            "tech_exchange.image_added": (_("Add image"), _("Image added")),
            "tech_exchange.image_removed": (_("Remove image"), _("Image removed")),
        },
    )


# After the demo accounts and startups; the demo provider owns offers, the demo founder buys.
hooks.register("register_demo_seeder", seed_demo_exchange, order=45)
