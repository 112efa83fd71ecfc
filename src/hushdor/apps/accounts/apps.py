from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hushdor.apps.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from hushdor.apps.accounts.admin_base import register_admin_of

        register_admin_of(self.name)
