from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "hushdor.worker"
    label = "worker"
    verbose_name = _("Worker jobs")

    def ready(self) -> None:
        from hushdor.apps.accounts.admin_base import register_admin_of

        register_admin_of(self.name)
