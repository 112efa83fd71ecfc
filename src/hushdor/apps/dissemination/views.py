"""One-click unsubscribe (RFC 8058: a POST to the List-Unsubscribe link; a GET shows a button)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hushdor.apps.accounts.decorators import role_required
from hushdor.apps.alerts.models import Hazard
from hushdor.apps.dissemination import selectors
from hushdor.apps.dissemination.models import Subscription
from hushdor.apps.dissemination.public import RateLimited, subscription_confirm, subscription_request
from hushdor.apps.dissemination.receipts import delivery_receipt
from hushdor.apps.dissemination.services import (
    SubscriptionError,
    deliveries_retry_dead,
    subscriber_unsubscribe,
)
from hushdor.apps.places.models import Region


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
    params = request.GET if request.method == "GET" else request.POST
    detail = " ".join(f"{key}={params.get(key, '')[:100]}" for key in ("fid", "reply") if params.get(key))
    # Kannel 1.4.5 was seen not to send a report again after an HTTP 503 (http-request-retry covered
    # refused connections), so a briefly busy database is waited for here (idempotent) before 503.
    for attempt in range(20):
        try:
            result = delivery_receipt(
                delivery_id=delivery_id, token=token, dlr_type=params.get("type", ""), detail=detail
            )
            break
        except OperationalError as error:
            if attempt == 19:
                return HttpResponse(f"busy, try again: {error}", status=503, content_type="text/plain; charset=utf-8")
            time.sleep(0.1 * (attempt + 1))
    return HttpResponse(result.text, status=result.status, content_type="text/plain; charset=utf-8")


# --- the public subscription page (no account) -----------------------------------------------------


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None  # the TCP peer; X-Forwarded-For is not trusted here


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    regions = [(r, list(r.districts.order_by("name"))) for r in Region.objects.order_by("name")]
    context = {
        "regions": regions,
        "hazards": Hazard.choices,
        "severities": [("Minor", _("every warning")), ("Moderate", _("moderate and above")),
                       ("Severe", _("severe and above")), ("Extreme", _("extreme only"))],
        "values": request.POST,
    }
    if request.method == "POST":
        point = None
        try:
            if request.POST.get("lat") or request.POST.get("lon"):
                point = (float(request.POST["lat"]), float(request.POST["lon"]))
            radius = float(request.POST.get("radius_km") or 0)
        except (KeyError, ValueError):
            context["error"] = _("The place must be given as latitude and longitude in degrees.")
            return render(request, "dissemination/subscribe.html", context, status=400)
        try:
            subscription = subscription_request(
                channel=request.POST.get("channel", ""),
                address=request.POST.get("address", ""),
                ip=_client_ip(request),
                language=request.POST.get("language") or request.LANGUAGE_CODE,
                place_codes=request.POST.getlist("districts"),
                point=point,
                radius_km=radius,
                hazards=request.POST.getlist("hazards"),
                min_severity=request.POST.get("min_severity") or "Minor",
            )
        except RateLimited as error:
            context["error"] = str(error)
            return render(request, "dissemination/subscribe.html", context, status=429)
        except SubscriptionError as error:
            context["error"] = str(error)
            return render(request, "dissemination/subscribe.html", context, status=400)
        if subscription.channel == "sms":  # the code comes by SMS; it is entered here, on this token's page
            return redirect("dissemination:confirm", token=subscription.confirm_token)
        return render(request, "dissemination/subscribe_sent.html", {"channel": subscription.channel})
    return render(request, "dissemination/subscribe.html", context)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    pending = Subscription.objects.filter(confirm_token=token).first() if token else None
    if request.method == "POST":
        try:
            subscription = subscription_confirm(token=token, code=request.POST.get("code", ""))
        except SubscriptionError as error:
            return render(request, "dissemination/confirm.html", {"pending": pending, "error": str(error)}, status=400)
        return render(request, "dissemination/confirm.html", {"done": subscription})
    return render(request, "dissemination/confirm.html", {"pending": pending})
