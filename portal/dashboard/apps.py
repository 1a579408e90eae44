from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "portal.dashboard"
    label = "dashboard"
    verbose_name = _("Ecosystem dashboard")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal.files.permissions import register_file_access

        from .models import Indicator, IndicatorValue, WeeklyReport
        from .permissions import can_manage_indicators
        from .selectors import forget_cached_figures_on_commit

        # Evidence of staff-entered values and the weekly reports: department staff only (who
        # enter, approve and receive them), not whoever once uploaded or generated them.
        register_file_access(IndicatorValue, lambda user, value: can_manage_indicators(user))
        register_file_access(WeeklyReport, lambda user, report: can_manage_indicators(user))

        # Indicators are edited through the admin's generic views, not a service: their saves
        # refresh the figures here.
        forget = forget_cached_figures_on_commit
        post_save.connect(forget, sender=Indicator, dispatch_uid="dashboard.indicator_saved")
        post_delete.connect(forget, sender=Indicator, dispatch_uid="dashboard.indicator_deleted")
