"""International assistance pages (the liaison officer's screen) and the inbox other nodes post to."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hushdor.apps.accounts.decorators import role_required
from hushdor.apps.accounts.roles import has_role
from hushdor.apps.assistance import exchange
from hushdor.apps.assistance.inbox import inbox_accept, inbox_refuse
from hushdor.apps.assistance.models import (
    CATEGORIES,
    AssistanceRequest,
    Need,
    Offer,
    OutboundEnvelope,
    Peer,
    ReceivedEnvelope,
    RfaState,
)
from hushdor.apps.assistance.services import (
    AssistanceError,
    need_update,
    offer_decide,
    offer_make,
    outstanding,
    rfa_approve,
    rfa_circulate,
    rfa_create,
)
from hushdor.apps.operations.models import Incident


@csrf_exempt
@require_POST
def inbox(request: HttpRequest) -> HttpResponse:
    """Where peer nodes post EDXL-DE envelopes (HMAC-signed). Answers JSON with the reason."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > exchange.MAX_ENVELOPE_BYTES:
        return JsonResponse(
            {"error": f"the envelope is larger than {exchange.MAX_ENVELOPE_BYTES} bytes (or has no length)"},
            status=413,
        )
    try:
        row, created = exchange.receive(headers=request.headers, body=request.body)
    except exchange.ExchangeRefused as refused:
        return JsonResponse({"error": refused.reason}, status=refused.status)
    return JsonResponse(
        {"received": row.distribution_id, "state": row.state if created else "duplicate", "id": row.pk},
        status=202 if created else 200,
    )


@require_GET
@role_required("viewer")
def board(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assistance/index.html",
        {
            "ours": AssistanceRequest.objects.filter(origin_node="").select_related("incident").order_by("-pk")[:100],
            "received": AssistanceRequest.objects.exclude(origin_node="").order_by("-pk")[:100],
            "quarantine": ReceivedEnvelope.objects.filter(state=ReceivedEnvelope.State.PENDING).order_by("received_at"),
            "decided": ReceivedEnvelope.objects.exclude(state=ReceivedEnvelope.State.PENDING).order_by("-pk")[:20],
            "outbox": OutboundEnvelope.objects.select_related("peer").order_by("-pk")[:30],
            "peers": Peer.objects.order_by("name"),
            "can_decide": has_role(request.user, "editor"),
        },
    )


def _quantity(value: str) -> Decimal:
    try:
        quantity = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        raise AssistanceError(_("The quantity must be a number.")) from None
    if not quantity.is_finite() or quantity <= 0:
        raise AssistanceError(_("The quantity must be a positive number."))
    return quantity


@role_required("editor")
def rfa_new(request: HttpRequest) -> HttpResponse:
    incident = Incident.objects.filter(pk=request.GET.get("incident") or request.POST.get("incident") or 0).first()
    if request.method == "POST":
        lines = []
        for number in range(1, 7):
            if not request.POST.get(f"quantity-{number}"):
                continue
            lines.append(
                {
                    "category": request.POST.get(f"category-{number}", ""),
                    "name": request.POST.get(f"name-{number}", ""),
                    "quantity": request.POST.get(f"quantity-{number}", ""),
                    "unit": request.POST.get(f"unit-{number}", ""),
                    "where": request.POST.get(f"where-{number}", ""),
                }
            )
        try:
            created = rfa_create(actor=request.user, title=request.POST.get("title", ""), needs=lines, incident=incident)
        except (AssistanceError, InvalidOperation) as error:
            messages.error(request, str(error))
        else:
            return redirect("assistance:rfa", rfa_id=created.pk)
    return render(
        request, "assistance/new.html", {"incident": incident, "categories": CATEGORIES, "lines": range(1, 7)}
    )


@require_GET
@role_required("viewer")
def rfa_board(request: HttpRequest, rfa_id: int) -> HttpResponse:
    rfa = get_object_or_404(AssistanceRequest.objects.select_related("incident", "created_by", "approved_by"), pk=rfa_id)
    rows = outstanding(request=rfa)
    offers = {}
    for offer in Offer.objects.filter(need__request=rfa).order_by("pk"):
        offers.setdefault(offer.need_id, []).append(offer)
    from hushdor.apps.assistance.models import ReliefUnit

    units = {}
    if not rfa.is_ours:
        for unit in ReliefUnit.objects.filter(available=True):
            units.setdefault(unit.category, []).append(unit)
    for row in rows:
        row["offers"] = offers.get(row["id"], [])
        row["units"] = units.get(row["category"], [])
        row["version"] = Need.objects.values_list("version", flat=True).get(pk=row["id"])
    return render(
        request,
        "assistance/rfa.html",
        {
            "rfa": rfa,
            "rows": rows,
            "can_edit": has_role(request.user, "editor"),
            "can_approve": has_role(request.user, "approver") and rfa.state == RfaState.DRAFT and rfa.is_ours,
            "can_decide": has_role(request.user, "approver") and rfa.is_ours,
            "outbox": OutboundEnvelope.objects.filter(distribution_id__contains=f"/rfa/{rfa.pk}/").select_related("peer")
            if rfa.is_ours
            else [],
        },
    )


def _act(request: HttpRequest, rfa_id: int, action, success: str) -> HttpResponse:
    try:
        action()
    except AssistanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("assistance:rfa", rfa_id=rfa_id)


@require_POST
@role_required("approver")
def rfa_approve_view(request: HttpRequest, rfa_id: int) -> HttpResponse:
    rfa = get_object_or_404(AssistanceRequest, pk=rfa_id)
    return _act(request, rfa.pk, lambda: rfa_approve(actor=request.user, request=rfa), _("Request approved."))


@require_POST
@role_required("editor")
def rfa_circulate_view(request: HttpRequest, rfa_id: int) -> HttpResponse:
    rfa = get_object_or_404(AssistanceRequest, pk=rfa_id)
    return _act(request, rfa.pk, lambda: rfa_circulate(request=rfa), _("Request sent to the partner nodes."))


@require_POST
@role_required("approver")
def offer_decide_view(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("need"), pk=offer_id)
    accept = request.POST.get("decision") == "accept"
    return _act(
        request,
        offer.need.request_id,
        lambda: offer_decide(actor=request.user, offer=offer, accept=accept),
        _("Offer accepted.") if accept else _("Offer declined."),
    )


@require_POST
@role_required("editor")
def offer_make_view(request: HttpRequest, need_id: int) -> HttpResponse:
    need = get_object_or_404(Need, pk=need_id)
    return _act(
        request,
        need.request_id,
        lambda: offer_make(
            actor=request.user,
            need=need,
            quantity=_quantity(request.POST.get("quantity", "")),
            conditions=request.POST.get("conditions", ""),
        ),
        _("Offer sent to the requesting nation."),
    )


@require_POST
@role_required("editor")
def need_edit_view(request: HttpRequest, need_id: int) -> HttpResponse:
    need = get_object_or_404(Need, pk=need_id)
    version = int(request.POST.get("version") or 0)
    return _act(
        request,
        need.request_id,
        lambda: need_update(
            actor=request.user, need=need, version=version, quantity=_quantity(request.POST.get("quantity", ""))
        ),
        _("Line changed."),
    )


@require_POST
@role_required("editor")
def envelope_decide(request: HttpRequest, envelope_id: int) -> HttpResponse:
    received = get_object_or_404(ReceivedEnvelope, pk=envelope_id)
    try:
        if request.POST.get("decision") == "accept":
            row = inbox_accept(actor=request.user, received=received)
            messages.success(request, _("Accepted: %(note)s") % {"note": row.reason})
        else:
            inbox_refuse(actor=request.user, received=received, reason=request.POST.get("reason", ""))
            messages.success(request, _("Refused."))
    except AssistanceError as error:
        messages.error(request, str(error))
    return redirect("assistance:board")


@require_GET
@role_required("viewer")
def envelope_raw(request: HttpRequest, envelope_id: int) -> HttpResponse:
    received = get_object_or_404(ReceivedEnvelope, pk=envelope_id)
    return HttpResponse(bytes(received.raw), content_type="application/xml")


@require_POST
@role_required("editor")
def outbox_resend(request: HttpRequest, row_id: int) -> HttpResponse:
    row = get_object_or_404(OutboundEnvelope, pk=row_id)
    exchange.resend(row)
    messages.success(request, _("The envelope will be sent again."))
    return redirect("assistance:board")




@require_POST
@role_required("editor")
def offer_track_view(request: HttpRequest, offer_id: int) -> HttpResponse:
    from hushdor.apps.assistance.tracking import offer_commit, offer_track

    offer = get_object_or_404(Offer.objects.select_related("need"), pk=offer_id)
    state = request.POST.get("state", "")
    if state == "in_transit":
        action = lambda: offer_commit(actor=request.user, offer=offer)  # noqa: E731
    else:
        action = lambda: offer_track(actor=request.user, offer=offer, state=state)  # noqa: E731
    return _act(request, offer.need.request_id, action, _("Recorded."))


@require_POST
@role_required("editor")
def unit_offer_view(request: HttpRequest, need_id: int) -> HttpResponse:
    from hushdor.apps.assistance.models import ReliefUnit
    from hushdor.apps.assistance.tracking import unit_offer

    need = get_object_or_404(Need, pk=need_id)
    unit = get_object_or_404(ReliefUnit, pk=request.POST.get("unit") or 0)
    return _act(request, need.request_id, lambda: unit_offer(actor=request.user, unit=unit, need=need),
                _("Offer sent to the requesting nation."))
