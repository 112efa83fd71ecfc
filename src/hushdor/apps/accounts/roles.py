"""Operator roles. Each role is a Django group; a person may hold several.

viewer   — sees everything operational, changes nothing
editor   — drafts and submits warnings, keeps logs
approver — approves, issues, updates and cancels warnings (never their own Severe/Extreme ones)
admin    — manages people, sources, policies and templates
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VIEWER = "viewer"
EDITOR = "editor"
APPROVER = "approver"
ADMIN = "admin"
ROLES = (VIEWER, EDITOR, APPROVER, ADMIN)
ROLE_LABELS = {VIEWER: _("viewer"), EDITOR: _("editor"), APPROVER: _("approver"), ADMIN: _("administrator")}

# Roles imply the ones below them: an approver can also draft, an admin can do everything.
IMPLIED = {
    VIEWER: {VIEWER},
    EDITOR: {VIEWER, EDITOR},
    APPROVER: {VIEWER, EDITOR, APPROVER},
    ADMIN: {VIEWER, EDITOR, APPROVER, ADMIN},
}


def roles_of(user) -> set[str]:
    """Every role a user effectively holds (superusers hold all)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(ROLES)
    held: set[str] = set()
    for name in user.groups.values_list("name", flat=True):
        held |= IMPLIED.get(name, set())
    return held


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def role_label(role: str) -> str:
    """The role's name in the interface language."""
    return str(ROLE_LABELS.get(role, role))
