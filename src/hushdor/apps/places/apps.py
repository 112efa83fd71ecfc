from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "hushdor.apps.places"
    label = "places"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Places")

    def ready(self) -> None:
        from hushdor.apps.accounts.admin_base import register_admin_of
        from hushdor.apps.places.metrics import places_metric_lines
        from hushdor.web import metrics

        metrics.register("places", places_metric_lines)
        register_admin_of(self.name)
