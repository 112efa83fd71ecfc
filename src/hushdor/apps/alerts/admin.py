"""The alerts app in the admin, read-only: every change goes through the operator screens and the API,
which call the services (roles, the two-person rule, the audit trail). The audit trail in particular
can never be added to, changed or deleted here."""

from __future__ import annotations

from django.contrib import admin

from hushdor.apps.accounts.admin_base import ReadOnlyAdmin
from hushdor.apps.alerts.models import (
    Alert,
    AlertApproval,
    AlertArea,
    AlertInfo,
    ApiToken,
    AuditEntry,
    CapFeedSource,
    ExternalAlert,
    Policy,
    QuarantinedAlert,
    Template,
)


class AlertInfoInline(admin.StackedInline):
    model = AlertInfo
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AlertAreaInline(AlertInfoInline):
    model = AlertArea


class AlertApprovalInline(AlertInfoInline):
    model = AlertApproval


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("pk", "identifier", "hazard", "severity", "msg_type", "state", "author", "created_at")
    list_filter = ("state", "hazard", "severity", "msg_type", "automatic", "needs_review")
    search_fields = ("identifier", "infos__headline")
    exclude = ("signed_xml",)
    inlines = (AlertInfoInline, AlertAreaInline, AlertApprovalInline)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "alert_id")
    list_filter = ("action",)
    search_fields = ("action", "actor__username")
    date_hierarchy = "at"


@admin.register(Template)
class TemplateAdmin(ReadOnlyAdmin):
    list_display = ("hazard", "name", "severity", "headline_en")
    list_filter = ("hazard",)


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ("hazard", "severity", "mode", "approvers_required")
    list_filter = ("hazard", "mode")


@admin.register(ExternalAlert)
class ExternalAlertAdmin(ReadOnlyAdmin):
    list_display = ("sent", "sender", "identifier", "msg_type", "state", "signature", "headline")
    list_filter = ("state", "signature", "msg_type")
    search_fields = ("sender", "identifier", "headline")
    exclude = ("xml",)


@admin.register(QuarantinedAlert)
class QuarantinedAlertAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "reason", "sender", "identifier", "source", "acknowledged_at")
    search_fields = ("sender", "identifier", "source", "reason")
    exclude = ("xml",)


@admin.register(CapFeedSource)
class CapFeedSourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "url", "enabled", "last_success_at", "consecutive_failures")
    list_filter = ("enabled",)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)
