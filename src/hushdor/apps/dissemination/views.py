"""One-click unsubscribe (RFC 8058: a POST to the List-Unsubscribe link; a GET shows a button)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hushdor.apps.accounts.decorators import role_required
from hushdor.apps.dissemination import selectors
from hushdor.apps.dissemination.services import deliveries_retry_dead, subscriber_unsubscribe


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


@require_http_methods(["GET"])
@role_required("viewer")
def deliveries(request: HttpRequest) -> HttpResponse:
    """Per alert and channel: how many deliveries are queued, sent, delivered, retrying, expired or dead."""
    return render(
        request,
        "dissemination/deliveries.html",
        {"alerts": selectors.deliveries_by_alert(), "health": selectors.channel_health()},
    )


@require_http_methods(["GET"])
@role_required("viewer")
def alert_deliveries_json(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The live panel's data: {channel: {state: count}} now."""
    from django.http import JsonResponse
    from django.utils import timezone

    return JsonResponse({"counts": selectors.delivery_counts(alert_id=alert_id), "at": timezone.now().isoformat()})


@require_http_methods(["GET"])
@role_required("viewer")
def alert_deliveries(request: HttpRequest, alert_id: int) -> HttpResponse:
    counts = selectors.delivery_counts(alert_id=alert_id)
    return render(
        request,
        "dissemination/alert_deliveries.html",
        {"alert_id": alert_id, "counts": counts, "failed": list(selectors.deliveries_failed(alert_id=alert_id))},
    )


@require_http_methods(["POST"])
@role_required("approver")
def retry_dead(request: HttpRequest, alert_id: int) -> HttpResponse:
    count = deliveries_retry_dead(alert_id=alert_id)
    messages.success(request, _("%(count)d dead deliveries queued again.") % {"count": count})
    return redirect("dissemination:alert-deliveries", alert_id=alert_id)


@csrf_exempt  # the SMS gateway calls back without a session; the token in the URL authenticates it
@require_http_methods(["GET", "POST"])
def delivery_report(request: HttpRequest, delivery_id: int, token: str) -> HttpResponse:
    """Kannel's delivery-report callback (``dlr-url``): ``?type=%d&fid=%F&reply=%A``."""
    from django.db import OperationalError

    from hushdor.apps.dissemination.services import delivery_receipt

    params = request.GET if request.method == "GET" else request.POST
    detail = " ".join(f"{key}={params.get(key, '')[:100]}" for key in ("fid", "reply") if params.get(key))
    try:
        result = delivery_receipt(
            delivery_id=delivery_id, token=token, dlr_type=params.get("type", ""), detail=detail
        )
    except OperationalError as error:  # the database is busy: 503 makes Kannel retry (http-request-retry)
        return HttpResponse(f"busy, try again: {error}", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(result.text, status=result.status, content_type="text/plain; charset=utf-8")
