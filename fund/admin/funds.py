"""The fund itself as a snippet: its target, the capital committed by each source and the
service deadline of each stage. Fund managers and administrators add and edit it; nobody
deletes it (calls and applications refer to it)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core.formatting import format_vnd

from ..models import Fund
from .access import FundManagerPolicy

register_permission_policy(Fund, FundManagerPolicy(Fund, actions=("add", "change", "view")))


class TargetColumn(Column):
    def get_value(self, instance):
        return format_vnd(instance.target_vnd)


class FundSnippetViewSet(SnippetViewSet):
    model = Fund
    icon = "cogs"
    menu_label = _("Fund and capital")
    # Its menu item lives in the "Venture fund" group, not under "Snippets".
    menu_item_is_registered = True
    list_display = ["name", TargetColumn("target_vnd", label=_("Target capital"))]
    copy_view_enabled = False
    inspect_view_enabled = False
