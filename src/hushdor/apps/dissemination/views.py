"""One-click unsubscribe (RFC 8058: a POST to the List-Unsubscribe link; a GET shows a button)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hushdor.apps.dissemination.services import subscriber_unsubscribe


@csrf_exempt  # RFC 8058 one-click: the mail client posts without a session; the token is the secret
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        count = subscriber_unsubscribe(token=token)
        text = (
            _("You will receive no more warnings from this subscription.")
            if count
            else _("This link is not valid, or you have already unsubscribed.")
        )
        return HttpResponse(f"<p>{escape(text)}</p>", status=200 if count else 404)
    button = escape(_("Unsubscribe from warnings"))
    return HttpResponse(f'<form method="post"><button>{button}</button></form>')
