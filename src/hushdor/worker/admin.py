"""Worker jobs' heartbeats in the admin, read-only (the worker writes them)."""

from __future__ import annotations

from django.contrib import admin

from hushdor.apps.accounts.admin_base import ReadOnlyAdmin
from hushdor.worker.models import JobState


@admin.register(JobState)
class JobStateAdmin(ReadOnlyAdmin):
    list_display = ("name", "last_success", "last_finished", "consecutive_failures", "runs", "last_summary")
