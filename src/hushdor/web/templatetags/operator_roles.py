"""``{% roles_for user as roles %}`` — the roles a person holds, for showing only the links they may use
(every view checks the role again)."""

from __future__ import annotations

from django import template

from hushdor.apps.accounts.roles import roles_of

register = template.Library()


@register.simple_tag
def roles_for(user) -> set[str]:
    return roles_of(user)
