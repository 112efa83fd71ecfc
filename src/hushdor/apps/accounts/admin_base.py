"""What every Hushdor admin page shares: the admin shows data, the services change it.

Writes go through each app's services (one transaction, audited), so the Django admin registers models
read-only: people may look and search, never add, change or delete behind the services' back.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """View and search only; no add, change or delete (and so no bulk actions)."""

    list_per_page = 50
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def register_admin_of(app_name: str) -> None:
    """Import ``<app>.admin`` when the admin is installed (the project uses SimpleAdminConfig, which
    does not autodiscover, because django-leaflet's admin module needs GDAL). Called from ready()."""
    from importlib import import_module

    from django.apps import apps

    if apps.is_installed("django.contrib.admin"):
        import_module(f"{app_name}.admin")
