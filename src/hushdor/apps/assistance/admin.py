"""The register of relief units this nation can send, and the peer nodes, in the administration pages."""

from __future__ import annotations

from django.contrib import admin

from hushdor.apps.assistance.models import Peer, ReliefUnit


@admin.register(ReliefUnit)
class ReliefUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "size", "self_sufficiency_days", "deployment_hours", "available")
    list_filter = ("category", "available")
    search_fields = ("name", "capabilities")


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    list_display = ("name", "node_id", "inbox_url", "active")
    exclude = ("secret",)  # the shared key is set with `hushdor assistance peer … --secret-env/--secret-file`
