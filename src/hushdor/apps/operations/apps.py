from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "hushdor.apps.operations"
    label = "operations"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hushdor.apps.alerts.services.listeners import listen
        from hushdor.apps.hydromet.listeners import listen as listen_hydromet
        from hushdor.apps.operations.services import incident_open_for_alert, incident_open_for_verified_alarm

        listen("published", incident_open_for_alert)
        listen_hydromet("alarm_verified", incident_open_for_verified_alarm)
        from hushdor.apps.accounts.admin_base import register_admin_of

        register_admin_of(self.name)
