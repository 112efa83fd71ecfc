from django.apps import AppConfig


class HydrometConfig(AppConfig):
    name = "hushdor.apps.hydromet"
    label = "hydromet"
    verbose_name = "Hydromet"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hushdor.apps.alerts.services.listeners import listen
        from hushdor.apps.hydromet.felt import alarm_for_earthquake_alert

        listen("published", alarm_for_earthquake_alert)  # a felt earthquake at the Usoi dam: a Sarez alarm
