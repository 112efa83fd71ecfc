"""People and roles in the admin: Django's own User and Group pages (roles are groups)."""

from __future__ import annotations

import django.contrib.auth.admin  # noqa: F401 — registers User and Group with the admin site
