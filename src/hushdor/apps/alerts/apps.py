from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "hushdor.apps.alerts"
    label = "alerts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from hushdor.apps.alerts.jobs import register_jobs

        register_jobs()
