"""The duty officer's incident pages: the list, and one incident's board with its logbook."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hushdor.apps.accounts.decorators import role_required
from hushdor.apps.accounts.roles import has_role
from hushdor.apps.operations import sitreps
from hushdor.apps.operations.models import (
    DAMAGE_FIGURES,
    Incident,
    IncidentStatus,
    LogEntry,
    Sitrep,
    SitrepState,
)
from hushdor.apps.operations.services import OperationsError, incident_set_status, logbook_write


@require_GET
@role_required("viewer")
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = Incident.objects.order_by("-started_at", "-pk")[:100]
    return render(request, "operations/incidents.html", {"incidents": incidents})


@require_GET
@role_required("viewer")
def incident_board(request: HttpRequest, incident_id: int) -> HttpResponse:
    from hushdor.apps.places.models import District

    incident = get_object_or_404(Incident, pk=incident_id)
    figures = sitreps.current_figures(incident)
    total = sitreps.totals(figures)
    return render(
        request,
        "operations/incident.html",
        {
            "incident": incident,
            "figure_labels": DAMAGE_FIGURES,
            "figures": [
                {"code": code, **entry, "cells": [entry["values"].get(key) for key, _label in DAMAGE_FIGURES]}
                for code, entry in sorted(figures.items(), key=lambda item: item[1]["name"])
            ],
            "total_cells": [total.get(key) for key, _label in DAMAGE_FIGURES],
            "districts": District.objects.order_by("name").values_list("code", "name"),
            "sitreps": incident.sitreps.order_by("-number"),
            "requests": _requests(incident),
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


def _requests(incident: Incident):
    """Requests for assistance of this incident, when the assistance app is installed."""
    from django.apps import apps

    if not apps.is_installed("hushdor.apps.assistance"):
        return []
    return apps.get_model("assistance", "AssistanceRequest").objects.filter(incident=incident).order_by("pk")


@require_POST
@role_required("editor")
def damage_report(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    figures = {key: request.POST.get(key, "").strip() for key, _label in DAMAGE_FIGURES}
    try:
        sitreps.damage_report(
            actor=request.user,
            incident=incident,
            district_code=request.POST.get("district", ""),
            figures={key: value for key, value in figures.items() if value},
            source=request.POST.get("source", ""),
        )
    except OperationsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Figures recorded."))
    return redirect("operations:incident", incident_id=incident.pk)


@require_POST
@role_required("editor")
def sitrep_new(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    try:
        sitrep = sitreps.sitrep_draft(
            actor=request.user, incident=incident, language=request.POST.get("language") or request.LANGUAGE_CODE
        )
    except OperationsError as error:
        messages.error(request, str(error))
        return redirect("operations:incident", incident_id=incident.pk)
    return redirect("operations:sitrep", sitrep_id=sitrep.pk)


@role_required("viewer")
def sitrep_page(request: HttpRequest, sitrep_id: int) -> HttpResponse:
    sitrep = get_object_or_404(Sitrep.objects.select_related("incident", "created_by", "published_by"), pk=sitrep_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                sitreps.sitrep_publish(actor=request.user, sitrep=sitrep)
                messages.success(request, _("Situation report published."))
            else:
                sitreps.sitrep_edit(
                    actor=request.user,
                    sitrep=sitrep,
                    situation=request.POST.get("situation", ""),
                    actions=request.POST.get("actions", ""),
                )
                messages.success(request, _("Saved."))
        except OperationsError as error:
            messages.error(request, str(error))
        return redirect("operations:sitrep", sitrep_id=sitrep.pk)
    document = sitreps.document_of(sitrep)
    keys = [key for key, _label in DAMAGE_FIGURES if any(key in d.values for d in document.figures)]
    labels = dict(DAMAGE_FIGURES)
    return render(
        request,
        "operations/sitrep.html",
        {
            "sitrep": sitrep,
            "document": document,
            "figure_keys": [(key, labels[key]) for key in keys],
            "figure_rows": [
                (d, [(d.values.get(key), d.changes.get(key)) for key in keys]) for d in document.figures
            ],
            "can_edit": has_role(request.user, "editor") and sitrep.state == SitrepState.DRAFT,
            "can_publish": has_role(request.user, "approver")
            and sitrep.state == SitrepState.DRAFT
            and sitrep.created_by_id != request.user.pk,
        },
    )


@require_GET
@role_required("viewer")
def sitrep_file(request: HttpRequest, sitrep_id: int, kind: str) -> HttpResponse:
    sitrep = get_object_or_404(Sitrep, pk=sitrep_id)
    if kind not in ("pdf", "xml"):
        raise Http404(_("A situation report is available as .pdf or .xml."))
    if kind == "pdf":
        data = bytes(sitrep.pdf) if sitrep.pdf else sitreps.render_pdf(sitrep)  # drafts: a preview
        response = HttpResponse(data, content_type="application/pdf")
    else:
        data = bytes(sitrep.xml) if sitrep.xml else sitreps.sitrep_xml.to_xml(sitreps.document_of(sitrep))
        response = HttpResponse(data, content_type="application/xml")
    draft = "" if sitrep.state == SitrepState.PUBLISHED else "-draft"
    response["Content-Disposition"] = f'inline; filename="sitrep-{sitrep.incident_id}-{sitrep.number}{draft}.{kind}"'
    return response
