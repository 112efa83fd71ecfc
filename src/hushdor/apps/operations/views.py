"""The duty officer's incident pages: the list, and one incident's board with its logbook."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
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
    TaskPriority,
    TaskStatus,
    Team,
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
    estimate = sitreps.impact_estimate(incident)
    shaken = sorted((estimate or {}).get("districts", {}).values(), key=lambda r: -(r.get("max_mmi") or 0))[:8]
    return render(
        request,
        "operations/incident.html",
        {
            "incident": incident,
            "figure_labels": DAMAGE_FIGURES,
            "figures": [
                {
                    "code": code,
                    **entry,
                    "cells": [entry["values"].get(key) for key, _label in DAMAGE_FIGURES],
                    "model": (estimate or {}).get("districts", {}).get(entry["name"]),
                }
                for code, entry in sorted(figures.items(), key=lambda item: item[1]["name"])
            ],
            "estimate": estimate,
            "shaken": shaken,
            "total_cells": [total.get(key) for key, _label in DAMAGE_FIGURES],
            "districts": District.objects.order_by("name").values_list("code", "name"),
            "sitreps": incident.sitreps.order_by("-number"),
            "requests": _requests(incident),
            "tasks": incident.tasks.prefetch_related("depends_on"),
            "task_statuses": TaskStatus.choices,
            "priorities": TaskPriority.choices,
            "teams": incident.teams.all(),
            "available_teams": Team.objects.filter(deployed_to__isnull=True).exclude(readiness="unavailable"),
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


# --- tasks, teams and contacts ----------------------------------------------------------------------


def _back(request: HttpRequest, incident_id: int) -> HttpResponse:
    return redirect("operations:incident", incident_id=incident_id)


@require_POST
@role_required("editor")
def task_new(request: HttpRequest, incident_id: int) -> HttpResponse:
    from datetime import datetime

    from hushdor.apps.operations import tasks
    from hushdor.apps.operations.models import Task

    incident = get_object_or_404(Incident, pk=incident_id)
    due = None
    if request.POST.get("due"):
        try:
            due = timezone.make_aware(datetime.fromisoformat(request.POST["due"]))
        except ValueError:
            messages.error(request, _("The due time is not a date and time."))
            return _back(request, incident.pk)
    waits = Task.objects.filter(incident=incident, pk__in=[p for p in request.POST.getlist("depends_on") if p.isdigit()])
    try:
        tasks.task_create(
            actor=request.user, incident=incident, title=request.POST.get("title", ""),
            assignee=request.POST.get("assignee", ""), priority=int(request.POST.get("priority") or 3),
            due=due, depends_on=list(waits),
        )
    except (OperationsError, ValueError) as error:
        messages.error(request, str(error))
    return _back(request, incident.pk)


@require_POST
@role_required("editor")
def task_status(request: HttpRequest, task_id: int) -> HttpResponse:
    from hushdor.apps.operations import tasks
    from hushdor.apps.operations.models import Task

    task = get_object_or_404(Task, pk=task_id)
    try:
        tasks.task_set_status(actor=request.user, task=task, status=request.POST.get("status", ""),
                              version=int(request.POST.get("version") or 0))
    except OperationsError as error:
        messages.error(request, str(error))
    return _back(request, task.incident_id)


@require_POST
@role_required("editor")
def team_deploy(request: HttpRequest, incident_id: int) -> HttpResponse:
    from hushdor.apps.operations import tasks
    from hushdor.apps.operations.models import Team

    incident = get_object_or_404(Incident, pk=incident_id)
    team = get_object_or_404(Team, pk=request.POST.get("team") or 0)
    try:
        tasks.team_deploy(actor=request.user, team=team, incident=None if request.POST.get("release") else incident)
    except OperationsError as error:
        messages.error(request, str(error))
    return _back(request, incident.pk)


@role_required("viewer")
def contacts(request: HttpRequest) -> HttpResponse:
    from hushdor.apps.operations import tasks
    from hushdor.apps.operations.models import Contact, Team

    if request.method == "POST":
        try:
            tasks.contact_save(actor=request.user, **{k: request.POST.get(k, "") for k in
                                                      ("organisation", "role", "name", "phone", "radio", "email")})
        except OperationsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Contact saved."))
        return redirect("operations:contacts")
    return render(request, "operations/contacts.html", {
        "contacts": Contact.objects.all(), "teams": Team.objects.select_related("deployed_to"),
        "can_write": has_role(request.user, "editor"),
    })


@require_GET
@role_required("viewer")
def incident_map(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    png = sitreps.incident_map_png(incident)
    if png is None:
        raise Http404(_("No districts are loaded: the map cannot be drawn."))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response
