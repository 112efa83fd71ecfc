"""The duty officer's incident pages: the list, and one incident's board with its logbook."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hushdor.apps.accounts.decorators import role_required
from hushdor.apps.accounts.roles import has_role
from hushdor.apps.operations.models import Incident, IncidentStatus, LogEntry
from hushdor.apps.operations.services import OperationsError, incident_set_status, logbook_write


@require_GET
@role_required("viewer")
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = Incident.objects.order_by("-started_at", "-pk")[:100]
    return render(request, "operations/incidents.html", {"incidents": incidents})


@require_GET
@role_required("viewer")
def incident_board(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    return render(
        request,
        "operations/incident.html",
        {
            "incident": incident,
            "log": incident.log.select_related("author", "corrects").order_by("-at", "-pk")[:200],
            "statuses": IncidentStatus.choices,
            "can_write": has_role(request.user, "editor") and incident.status != IncidentStatus.CLOSED,
            "can_set_status": has_role(request.user, "approver"),
        },
    )


@require_POST
@role_required("editor")
def log_write(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    corrects = None
    if request.POST.get("corrects"):
        corrects = LogEntry.objects.filter(pk=request.POST["corrects"], incident=incident).first()
    try:
        logbook_write(
            incident=incident,
            text=request.POST.get("text", ""),
            author=request.user,
            source=request.POST.get("source", "")[:200],
            corrects=corrects,
        )
    except OperationsError as error:
        messages.error(request, str(error))
    return redirect("operations:incident", incident_id=incident.pk)


@require_POST
@role_required("approver")
def status_set(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    try:
        incident_set_status(incident=incident, status=request.POST.get("status", ""), author=request.user)
    except OperationsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Status changed."))
    return redirect("operations:incident", incident_id=incident.pk)
