"""The teams register and contacts in the administration pages (the boards deploy and release teams)."""

from __future__ import annotations

from django.contrib import admin

from hushdor.apps.operations.models import Contact, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "capabilities", "size", "base", "readiness", "deployed_to")
    list_filter = ("readiness", "organisation")
    search_fields = ("name", "organisation", "capabilities")
    readonly_fields = ("deployed_to", "deployed_at")  # deploying is the board's, with its logbook entry


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("organisation", "role", "name", "phone", "radio", "email")
    search_fields = ("organisation", "name", "role")
