"""Writes for people and roles."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from hushdor.apps.accounts.roles import ROLES


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def roles_ensure() -> list[Group]:
    return [Group.objects.get_or_create(name=role)[0] for role in ROLES]


@transaction.atomic
def operator_create(
    *, username: str, password: str | None = None, roles: list[str], email: str = "", replace: bool = False
) -> tuple[object, str]:
    """Create (or with ``replace`` reset) an operator; returns (user, password)."""
    username = username.strip()
    if not username:
        raise AccountError(_("a user name is required"))
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise AccountError(
            _("unknown role(s) %(unknown)s; choose from %(roles)s")
            % {"unknown": ", ".join(unknown), "roles": ", ".join(ROLES)}
        )
    password = password or secrets.token_urlsafe(12)
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None and not replace:
        raise AccountError(
            _("the user %(name)r already exists (use --replace to reset it)") % {"name": username}
        )
    if user is None:
        user = User(username=username, email=email)
    user.set_password(password)
    user.is_staff = "admin" in roles
    user.save()
    groups = {group.name: group for group in roles_ensure()}
    user.groups.set([groups[role] for role in roles])
    return user, password
