"""/api/alerts/ — drafts CRUD, lifecycle actions, list with filters.

Authentication: the operator's session (the UI; CSRF-checked) or ``Authorization: Bearer hd_…``
(machine clients; see :mod:`hushdor.apps.alerts.services.tokens`). Errors are JSON
``{"code": ..., "message": ..., "findings": [...]}``: 403 ``forbidden`` for a missing role, 422
``validation`` when the CAP would be invalid (and for malformed drafts, ``bad_input``), 409 for
rule violations (``two_person_rule``, ``wrong_state``, ``not_current``, ``already_decided``), 404.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from hushdor.apps.alerts import selectors, services
from hushdor.apps.alerts.models import Alert
from hushdor.apps.alerts.services import AlertPermissionError, AlertRuleError, AlertValidationError
from hushdor.apps.alerts.services.rules import require_role
from hushdor.apps.alerts.services.tokens import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return api_token_user(token)


MAX_OFFSET = 2**31 - 1  # a list offset the databases can take (beyond it: 422, not a 500)

router = Router(tags=["alerts"], auth=[TokenAuth(), django_auth])


class InfoIn(Schema):
    language: str
    event: str
    headline: str
    urgency: str
    severity: str
    certainty: str
    description: str = ""
    instruction: str = ""
    category: str = "Geo"
    response_type: str | None = None
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    web: str = ""
    contact: str = ""
    parameters: dict[str, str] = Field(default_factory=dict)


class AreaIn(Schema):
    kind: str
    description: str = ""  # English; the fallback of the other languages
    description_tg: str = ""
    description_ru: str = ""
    place_code: str = ""
    polygons: list[list[tuple[float, float]]] = Field(default_factory=list)
    circle: tuple[float, float] | None = None
    radius_km: float | None = None
    geocodes: list[tuple[str, str]] = Field(default_factory=list)


class DraftIn(Schema):
    hazard: str
    infos: list[InfoIn]
    areas: list[AreaIn] = Field(default_factory=list)
    status: str = "Actual"
    scope: str = "Public"
    note: str = ""


class DraftEditIn(Schema):
    """A draft's new content; ``hazard``, ``status`` and ``scope`` stay as they are when left out."""

    infos: list[InfoIn]
    areas: list[AreaIn] = Field(default_factory=list)
    hazard: str | None = None
    status: str | None = None
    scope: str | None = None
    note: str | None = None


class ContentIn(Schema):
    infos: list[InfoIn] | None = None
    areas: list[AreaIn] | None = None
    note: str = ""


class CommentIn(Schema):
    comment: str = ""


class InfoOut(Schema):
    language: str
    event: str
    headline: str
    description: str
    instruction: str
    urgency: str
    severity: str
    certainty: str
    expires: datetime | None


class AreaOut(Schema):
    kind: str
    description: str
    description_tg: str
    description_ru: str
    place_code: str
    polygons: list
    geocodes: list


class AlertOut(Schema):
    id: int
    identifier: str | None
    sender: str
    sent: datetime | None
    status: str
    msg_type: str
    scope: str
    state: str
    hazard: str
    severity: str
    author: str | None = None
    needs_review: bool
    issued_at: datetime | None
    expires: datetime | None
    supersedes_id: int | None
    lineage_root_id: int | None
    infos: list[InfoOut]
    areas: list[AreaOut]

    @staticmethod
    def resolve_author(alert: Alert) -> str | None:
        return alert.author.username if alert.author_id else None


class ErrorOut(Schema):
    code: str
    message: str
    findings: list[dict] = Field(default_factory=list)


ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _infos(items: list[InfoIn]) -> list[services.InfoDraft]:
    return [services.InfoDraft(**item.dict()) for item in items]


def _areas(items: list[AreaIn]) -> list[services.AreaDraft]:
    return [services.AreaDraft(**item.dict()) for item in items]


def _alert(alert_id: int) -> Alert:
    return get_object_or_404(Alert, pk=alert_id)


@router.get("/", response=list[AlertOut])
def list_alerts(
    request,
    state: str = "",
    hazard: str = "",
    severity: str = "",
    limit: int = 100,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    require_role(request.auth, "viewer", "see alerts")
    limit = max(1, min(limit, 500))
    return list(
        selectors.alerts_list(state=state, hazard=hazard, severity=severity).prefetch_related("areas")[
            offset : offset + limit
        ]
    )


@router.post("/", response={201: AlertOut, **ERRORS})
def create_draft(request, payload: DraftIn):
    alert = services.alert_create_draft(
        actor=request.auth,
        hazard=payload.hazard,
        infos=_infos(payload.infos),
        areas=_areas(payload.areas),
        status=payload.status,
        scope=payload.scope,
        note=payload.note,
    )
    return Status(201, alert)


@router.get("/{alert_id}", response={200: AlertOut, **ERRORS})
def get_alert(request, alert_id: int):
    require_role(request.auth, "viewer", "see alerts")
    return _alert(alert_id)


@router.put("/{alert_id}", response={200: AlertOut, **ERRORS})
def edit_draft(request, alert_id: int, payload: DraftEditIn):
    return services.alert_edit_draft(
        actor=request.auth,
        alert=_alert(alert_id),
        infos=_infos(payload.infos),
        areas=_areas(payload.areas),
        note=payload.note,
        hazard=payload.hazard,
        status=payload.status,
        scope=payload.scope,
    )


@router.delete("/{alert_id}", response={204: None, **ERRORS})
def delete_draft(request, alert_id: int):
    services.alert_delete_draft(actor=request.auth, alert=_alert(alert_id))
    return Status(204, None)


@router.post("/{alert_id}/submit", response={200: AlertOut, **ERRORS})
def submit(request, alert_id: int):
    return services.alert_submit(actor=request.auth, alert=_alert(alert_id))


@router.post("/{alert_id}/approve", response={200: AlertOut, **ERRORS})
def approve(request, alert_id: int, payload: CommentIn):
    return services.alert_approve(actor=request.auth, alert=_alert(alert_id), comment=payload.comment)


@router.post("/{alert_id}/reject", response={200: AlertOut, **ERRORS})
def reject(request, alert_id: int, payload: CommentIn):
    return services.alert_reject(actor=request.auth, alert=_alert(alert_id), comment=payload.comment)


@router.post("/{alert_id}/issue", response={200: AlertOut, **ERRORS})
def issue(request, alert_id: int):
    return services.alert_issue(actor=request.auth, alert=_alert(alert_id))


@router.post("/{alert_id}/update", response={201: AlertOut, **ERRORS})
def update(request, alert_id: int, payload: ContentIn):
    alert = services.alert_update(
        actor=request.auth,
        alert=_alert(alert_id),
        note=payload.note,
        infos=_infos(payload.infos) if payload.infos is not None else None,
        areas=_areas(payload.areas) if payload.areas is not None else None,
    )
    return Status(201, alert)


@router.post("/{alert_id}/cancel", response={201: AlertOut, **ERRORS})
def cancel(request, alert_id: int, payload: CommentIn):
    return Status(
        201, services.alert_cancel(actor=request.auth, alert=_alert(alert_id), note=payload.comment)
    )


@router.post("/{alert_id}/all-clear", response={201: AlertOut, **ERRORS})
def all_clear(request, alert_id: int, payload: CommentIn):
    return Status(
        201, services.alert_all_clear(actor=request.auth, alert=_alert(alert_id), note=payload.comment)
    )


def _status_of(error: AlertRuleError) -> int:
    if isinstance(error, AlertPermissionError):
        return 403
    if isinstance(error, AlertValidationError) or error.code == "bad_input":
        return 422
    return 409


def install_error_handlers(api) -> None:
    """Turn the alerts services' errors into JSON with a stable code, at this one boundary."""

    def handle(request, error: AlertRuleError):
        findings = [
            {"code": f.code, "severity": f.severity, "message": f.message, "path": f.path}
            for f in getattr(error, "findings", [])
        ]
        return api.create_response(
            request,
            {"code": error.code, "message": error.message, "findings": findings},
            status=_status_of(error),
        )

    api.add_exception_handler(AlertRuleError, handle)
