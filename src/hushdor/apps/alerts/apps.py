from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "hushdor.apps.alerts"
    label = "alerts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from hushdor.apps.accounts.admin_base import register_admin_of
        from hushdor.apps.alerts.jobs import register_jobs

        register_jobs()
        register_admin_of(self.name)
