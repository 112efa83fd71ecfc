from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "hushdor.apps.assistance"
    label = "assistance"
    verbose_name = "International assistance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hushdor.apps.assistance import jobs  # noqa: F401 - registers the worker job
        from hushdor.apps.assistance.services import sitrep_contribution, sitrep_send
        from hushdor.apps.operations import sitreps

        sitreps.contribute(sitrep_contribution)
        sitreps.on_published(sitrep_send)
        from hushdor.apps.accounts.admin_base import register_admin_of

        register_admin_of(self.name)
