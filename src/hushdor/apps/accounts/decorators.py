"""The one check every operator page makes: logged in, and holding a role (roles imply lower ones)."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hushdor.apps.accounts.roles import has_role, role_label


def role_required(role: str):
    """A view decorator: anonymous people go to the login page; a person without ``role`` gets 403."""

    def decorate(view):
        @functools.wraps(view)
        @login_required
        def checked(request: HttpRequest, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied(
                    _("You need the %(role)s role for this page.") % {"role": role_label(role)}
                )
            return view(request, *args, **kwargs)

        return checked

    return decorate
