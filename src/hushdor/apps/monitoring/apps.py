from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "hushdor.apps.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hushdor.apps.monitoring import jobs  # noqa: F401 - registers the worker jobs
