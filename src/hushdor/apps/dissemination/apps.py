from django.apps import AppConfig


class DisseminationConfig(AppConfig):
    name = "hushdor.apps.dissemination"
    label = "dissemination"
    verbose_name = "Dissemination"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hushdor.apps.alerts.services.listeners import listen
        from hushdor.apps.dissemination import jobs  # noqa: F401 - registers the worker jobs
        from hushdor.apps.dissemination.services import deliveries_create_for_alert, mqtt_clear_for_expired
        from hushdor.web import metrics

        listen("published", deliveries_create_for_alert)
        listen("expired", mqtt_clear_for_expired)
        from hushdor.apps.dissemination.selectors import delivery_metric_lines

        metrics.register("dissemination", delivery_metric_lines)
