from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "portal.dashboard"
    label = "dashboard"
    verbose_name = _("Ecosystem dashboard")

    def ready(self):
        from portal.files.permissions import register_file_access

        from .models import IndicatorValue, WeeklyReport
        from .permissions import can_manage_indicators

        # Evidence of staff-entered values and the weekly reports: department staff only (who
        # enter, approve and receive them), not whoever once uploaded or generated them.
        register_file_access(IndicatorValue, lambda user, value: can_manage_indicators(user))
        register_file_access(WeeklyReport, lambda user, report: can_manage_indicators(user))
