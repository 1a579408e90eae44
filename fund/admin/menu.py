"""The "Venture fund" admin menu group, shown only to fund managers and administrators, and the
URLs of the managers' own pages."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from ..permissions import is_fund_manager
from .application import ApplicationManageView
from .dashboard import FundDashboardView
from .funds import FundSnippetViewSet
from .queues import ApplicationViewSet, TrancheViewSet
from .tranche import TrancheManageView


class FundManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_fund_manager(request.user)


class FundViewSetGroup(ModelViewSetGroup):
    menu_label = _("Venture fund")
    menu_icon = "pick"
    menu_order = 220
    items = (
        ApplicationViewSet("fund_admin_applications", url_prefix="fund/applications"),
        TrancheViewSet("fund_admin_tranches", url_prefix="fund/tranches"),
        FundSnippetViewSet(),
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        dashboard = FundManagerMenuItem(
            _("Dashboard"),
            reverse("fund_admin_dashboard"),
            name="fund-dashboard",
            icon_name="table",
            order=0,
        )
        return [dashboard, *items]


admin_urls = [
    path(
        "fund/applications/<int:pk>/",
        ApplicationManageView.as_view(),
        name="fund_admin_application",
    ),
    path("fund/tranches/<int:pk>/", TrancheManageView.as_view(), name="fund_admin_tranche"),
    path("fund/dashboard/", FundDashboardView.as_view(), name="fund_admin_dashboard"),
]
