"""API tokens for machine clients: shown once at creation, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hushdor.apps.alerts.models import ApiToken
from hushdor.apps.alerts.services.audit import audit_record
from hushdor.apps.alerts.services.errors import AlertRuleError
from hushdor.apps.alerts.services.rules import require_role

TOKEN_PREFIX = "hd_"  # noqa: S105 — a marker, not a secret


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, actor=None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns (row, the token text — shown this once only).

    ``actor`` (default: ``user`` itself) is who asks; only an admin may create a token for someone else.
    """
    actor = actor or user
    if actor.pk != user.pk:
        require_role(actor, "admin", _("create API tokens for other people"))
    name = name.strip()
    if not name:
        raise AlertRuleError(_("give the token a name (what will use it?)"), code="bad_input")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=name, prefix=token[:10], token_hash=token_hash(token))
    audit_record(
        actor=actor,
        action="token.create",
        details={"name": name, "prefix": row.prefix, "user": user.get_username()},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke a token at once. Its owner or an admin may; revoking twice is refused."""
    if actor.pk != token.user_id:
        require_role(actor, "admin", _("revoke other people's API tokens"))
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        raise AlertRuleError(_("this token is already revoked"), code="wrong_state")
    audit_record(actor=actor, action="token.revoke", details={"prefix": token.prefix, "name": token.name})


def api_token_user(token: str):
    """The active user a token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
