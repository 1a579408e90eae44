"""The owner's technologies and enquiries on the /me/ workspace overview."""

from django.db.models import Count, Q
from django.utils import timezone
from wagtail import hooks

from portal.accounts.permissions import has_role
from portal.accounts.roles import Role
from portal.core.views import panel_records

from .models import Enquiry, EnquiryStatus, Listing
from .workflow import OPEN_ENQUIRIES
from .workspace_views import STATUS_BADGES


@hooks.register("portal_workspace_panels")
def my_technologies_panel(request):
    """The latest listings and the enquiries waiting for an answer; providers who have none are
    invited to list a technology. Accounts with nothing on the exchange see no panel."""
    user = request.user
    listings, more = panel_records(
        Listing.objects.filter(owner=user).order_by("-updated_at", "-pk"), STATUS_BADGES
    )
    enquiries = Enquiry.objects.filter(
        Q(listing__owner=user, status__in=OPEN_ENQUIRIES)
        | Q(sender=user, status__in=OPEN_ENQUIRIES)
    ).aggregate(
        waiting=Count("pk", filter=Q(listing__owner=user)),
        overdue=Count(
            "pk",
            filter=Q(
                listing__owner=user,
                status=EnquiryStatus.OPEN,
                answer_due_at__lt=timezone.now(),
            ),
        ),
        sent=Count("pk", filter=Q(sender=user)),
    )
    if not listings and not enquiries["sent"] and not has_role(user, Role.PROVIDER):
        return []
    return [
        {
            "template": "tech_exchange/workspace/panel.html",
            "listings": listings,
            "more": more,
            "waiting": enquiries["waiting"],
            "overdue": enquiries["overdue"],
            "sent": enquiries["sent"],
        }
    ]
