from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "hushdor.apps.assistance"
    label = "assistance"
    verbose_name = "International assistance"
    default_auto_field = "django.db.models.BigAutoField"
