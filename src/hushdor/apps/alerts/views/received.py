"""Operator pages for CAP we receive: the quarantine (inspect, acknowledge, delete) and the received
alerts with the current state of their update/cancel chains. Thin: role check, selectors, services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from lxml import etree

from hushdor.apps.accounts.roles import has_role
from hushdor.apps.alerts import selectors_ingest
from hushdor.apps.alerts.models import ExternalAlert, ExternalState, QuarantinedAlert
from hushdor.apps.alerts.services import AlertPermissionError, AlertRuleError
from hushdor.apps.alerts.services.ingest_admin import quarantined_acknowledge, quarantined_delete
from hushdor.apps.alerts.views.pages import operator_required
from hushdor.cap.safety import load_tree

MAX_SHOWN_BYTES = 256 * 1024


def readable_xml(data: bytes) -> tuple[str, bool]:
    """``(text, cut)``: the document indented when it parses (hardened parser), else as received.
    The template escapes it; nothing in it is ever rendered as markup."""
    cut = len(data) > MAX_SHOWN_BYTES
    shown = data[:MAX_SHOWN_BYTES]
    if not cut:
        loaded = load_tree(shown)
        if loaded.root is not None:
            etree.indent(loaded.root, space="  ")
            return etree.tostring(loaded.root, encoding="unicode"), False
    return shown.decode("utf-8", errors="replace"), cut


@operator_required("viewer")
def quarantine_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    if show not in ("open", "acknowledged", "all"):
        show = "open"
    rows = selectors_ingest.quarantined_list(show=show)[:200]
    return render(request, "alerts/quarantine_list.html", {"rows": rows, "show": show})


@operator_required("viewer")
def quarantine_detail(request: HttpRequest, quarantined_id: int) -> HttpResponse:
    row = get_object_or_404(QuarantinedAlert.objects.select_related("acknowledged_by"), pk=quarantined_id)
    xml_text, cut = readable_xml(bytes(row.xml))
    return render(
        request,
        "alerts/quarantine_detail.html",
        {
            "row": row,
            "xml_text": xml_text,
            "xml_cut": cut,
            "size": len(bytes(row.xml)),
            "can_decide": has_role(request.user, "approver"),
        },
    )


@require_POST
@operator_required("viewer")
def quarantine_action(request: HttpRequest, quarantined_id: int, action: str) -> HttpResponse:
    row = get_object_or_404(QuarantinedAlert, pk=quarantined_id)
    comment = request.POST.get("comment", "")
    try:
        if action == "acknowledge":
            quarantined_acknowledge(actor=request.user, quarantined=row, comment=comment)
            messages.success(request, _("The quarantined alert was acknowledged."))
        elif action == "delete":
            quarantined_delete(actor=request.user, quarantined=row, comment=comment)
            messages.success(request, _("The quarantined alert was deleted; the audit trail keeps a record."))
            return redirect("alerts:quarantine")
        else:
            raise PermissionDenied(_("Unknown action."))
    except AlertPermissionError as error:
        raise PermissionDenied(error.message) from error
    except AlertRuleError as error:
        messages.error(request, error.message)
    return redirect("alerts:quarantine-detail", quarantined_id=row.pk)


@operator_required("viewer")
def external_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", ExternalState.ACTIVE)
    if state not in ExternalState.values:
        state = ""
    sender = request.GET.get("sender", "").strip()
    rows = selectors_ingest.external_alerts_list(state=state, sender=sender)[:200]
    return render(
        request,
        "alerts/external_list.html",
        {"rows": rows, "state": state, "sender": sender, "states": ExternalState.choices},
    )


@operator_required("viewer")
def external_detail(request: HttpRequest, external_id: int) -> HttpResponse:
    row = get_object_or_404(ExternalAlert, pk=external_id)
    xml_text, cut = readable_xml(bytes(row.xml))
    chain = selectors_ingest.external_chain(row)
    current = next((message for message in reversed(chain) if message.superseded_by_id is None), row)
    return render(
        request,
        "alerts/external_detail.html",
        {"row": row, "xml_text": xml_text, "xml_cut": cut, "chain": chain, "current": current},
    )
