from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "hushdor.apps.places"
    label = "places"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hushdor.apps.places.metrics import places_metric_lines
        from hushdor.web import metrics

        metrics.register("places", places_metric_lines)
