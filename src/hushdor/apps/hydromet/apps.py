from django.apps import AppConfig


class HydrometConfig(AppConfig):
    name = "hushdor.apps.hydromet"
    label = "hydromet"
    verbose_name = "Hydromet"
    default_auto_field = "django.db.models.BigAutoField"
