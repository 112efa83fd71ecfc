"""Operator pages. Thin: check the role, read via selectors, write via services, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hushdor.apps.accounts.decorators import role_required as operator_required
from hushdor.apps.accounts.roles import has_role
from hushdor.apps.alerts import selectors, services
from hushdor.apps.alerts.models import Alert, AlertState, Hazard, Template
from hushdor.apps.alerts.models.cap_labels import cap_choices
from hushdor.apps.alerts.services import AlertRuleError
from hushdor.apps.alerts.services.rules import content_writers, needs_two_persons
from hushdor.apps.alerts.services.templates import placeholders_of
from hushdor.apps.alerts.views.forms import (
    TEXT_FIELDS,
    drafts_from_post,
    initial_from_alert,
    initial_from_template,
)
from hushdor.cap.model import Category, Certainty, ResponseType, Severity, Urgency

LANGUAGES = (("tg", "Тоҷикӣ"), ("ru", "Русский"), ("en", "English"))


@operator_required("viewer")
def alert_list(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "") for name in ("state", "hazard", "severity")}
    alerts = selectors.alerts_list(**filters)[:200]
    rows = [(alert, selectors.info_in(alert, request.LANGUAGE_CODE)) for alert in alerts]
    return render(
        request,
        "alerts/list.html",
        {
            "rows": rows,
            "filters": filters,
            "states": AlertState.choices,
            "hazards": Hazard.choices,
            "severities": cap_choices(Severity),
        },
    )


@require_http_methods(["GET", "POST"])
@operator_required("editor")
def alert_compose(request: HttpRequest, alert_id: int | None = None) -> HttpResponse:
    alert = get_object_or_404(Alert, pk=alert_id) if alert_id else None
    if request.method == "POST":
        try:
            hazard, infos, areas, note = drafts_from_post(request.POST)
            if alert is None:
                alert = services.alert_create_draft(
                    actor=request.user, hazard=hazard, infos=infos, areas=areas, note=note
                )
            else:
                alert = services.alert_edit_draft(
                    actor=request.user, alert=alert, infos=infos, areas=areas, note=note
                )
            if "submit" in request.POST:
                services.alert_submit(actor=request.user, alert=alert)
                messages.success(request, _("The alert was submitted for approval."))
            else:
                messages.success(request, _("The draft was saved."))
            return redirect("alerts:detail", alert_id=alert.pk)
        except AlertRuleError as error:
            messages.error(request, error.message)
            initial = request.POST.dict()
    elif alert is not None:
        initial = initial_from_alert(alert)
    else:
        initial = _initial_from_template(request)
    return render(request, "alerts/compose.html", _compose_context(alert, initial))


def _compose_context(alert: Alert | None, initial: dict) -> dict:
    template = Template.objects.filter(pk=_int(initial.get("template"))).first()
    selects = [
        ("urgency", _("Urgency"), cap_choices(Urgency)),
        ("severity", _("Severity"), cap_choices(Severity)),
        ("certainty", _("Certainty"), cap_choices(Certainty)),
        ("category", _("Category"), cap_choices(Category)),
        ("response_type", _("Response"), [("", "—"), *cap_choices(ResponseType)]),
    ]
    return {
        "alert": alert,
        "initial": initial,
        "templates": selectors.templates_list(),
        "chosen_template": template,
        "placeholders": [(name, initial.get(f"value_{name}", "")) for name in placeholders_of(template)]
        if template
        else [],
        "hazards": Hazard.choices,
        "selects": [(field, label, values, initial.get(field, "")) for field, label, values in selects],
        "language_blocks": [
            (code, label, {name: initial.get(f"{name}_{code}", "") for name in TEXT_FIELDS})
            for code, label in LANGUAGES
        ],
        "map_urls": {"regions": reverse("places:regions"), "districts": reverse("places:districts")},
        "texts": {
            "segments": _("SMS: %(segments)s segment(s), %(characters)s characters, %(encoding)s"),
            "polygon_names": _in_each_language("Drawn polygon"),
            "languages": dict(LANGUAGES),
            "area_description": _("Area description in %(language)s"),
            "areas": _("Areas: %(areas)s"),
            "remove": _("Remove"),
            "no_findings": _("No problems found."),
            "failed": _("The preview failed."),
        },
    }


def _in_each_language(message: str) -> dict[str, str]:
    """``message`` translated into tg, ru and en (an area's description in each info's language)."""
    translated = {}
    for code, _label in LANGUAGES:
        with translation.override(code):
            translated[code] = _(message)
    return translated


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _initial_from_template(request: HttpRequest) -> dict:
    template = Template.objects.filter(pk=_int(request.GET.get("template"))).first()
    if template is None:
        return {"expires_hours": 6}
    values = {
        key.removeprefix("value_"): value
        for key, value in request.GET.items()
        if key.startswith("value_") and value.strip()
    }
    return {
        **initial_from_template(template, values),
        "expires_hours": request.GET.get("expires_hours", 6),
        **{f"value_{k}": v for k, v in values.items()},
    }


@operator_required("viewer")
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = get_object_or_404(Alert.objects.select_related("author", "supersedes"), pk=alert_id)
    user = request.user
    is_approver = has_role(user, "approver")
    own_two_person = needs_two_persons(alert) and user.pk in content_writers(alert)
    return render(
        request,
        "alerts/detail.html",
        {
            "alert": alert,
            "infos": alert.infos.all(),
            "areas": alert.areas.all(),
            "approvals": alert.approvals.select_related("approver"),
            "lineage": selectors.alert_lineage(alert),
            "chain_state": selectors.lineage_current_state(alert),
            "history": selectors.alert_history(alert),
            "can": {
                "edit": has_role(user, "editor") and alert.state in ("draft", "rejected"),
                "submit": has_role(user, "editor") and alert.state in ("draft", "rejected"),
                "approve": is_approver and alert.state == "submitted" and not own_two_person,
                "reject": is_approver and alert.state in ("submitted", "approved"),
                "issue": is_approver and alert.state == "approved",
                "follow_up": alert.state == "issued" and alert.msg_type != "Cancel",
                "update": has_role(user, "editor"),
                "cancel": is_approver,
                "review": is_approver and alert.needs_review,
            },
            "own_two_person": own_two_person and alert.state == "submitted",
            "hold_reason": selectors.automatic_hold_reason(alert) if alert.state != "issued" else "",
            "changes": selectors.follow_up_changes(alert) if alert.state not in ("issued", "updated") else [],
        },
    )


_ACTIONS = {
    "submit": lambda user, alert, comment: services.alert_submit(actor=user, alert=alert),
    "approve": lambda user, alert, comment: services.alert_approve(actor=user, alert=alert, comment=comment),
    "reject": lambda user, alert, comment: services.alert_reject(actor=user, alert=alert, comment=comment),
    "issue": lambda user, alert, comment: services.alert_issue(actor=user, alert=alert),
    "update": lambda user, alert, comment: services.alert_update(actor=user, alert=alert, note=comment),
    "cancel": lambda user, alert, comment: services.alert_cancel(actor=user, alert=alert, note=comment),
    "all-clear": lambda user, alert, comment: services.alert_all_clear(actor=user, alert=alert, note=comment),
    "review": lambda user, alert, comment: services.alert_mark_reviewed(
        actor=user, alert=alert, comment=comment
    ),
    "delete": lambda user, alert, comment: services.alert_delete_draft(actor=user, alert=alert),
}


def _action_label(action: str) -> str:
    labels = {
        "submit": _("submitted for approval"),
        "approve": _("approved"),
        "reject": _("rejected"),
        "issue": _("issued"),
        "update": _("update drafted"),
        "cancel": _("cancelled"),
        "all-clear": _("all clear issued"),
        "review": _("marked reviewed"),
        "delete": _("draft deleted"),
    }
    return labels.get(action, action)


@require_POST
@operator_required("viewer")
def alert_action(request: HttpRequest, alert_id: int, action: str) -> HttpResponse:
    """Every button on the detail page posts here; the service checks the role and the rules."""
    alert = get_object_or_404(Alert, pk=alert_id)
    perform = _ACTIONS.get(action)
    if perform is None:
        raise PermissionDenied(_("Unknown action."))
    try:
        result = perform(request.user, alert, request.POST.get("comment", ""))
    except services.AlertPermissionError as error:
        raise PermissionDenied(error.message) from error
    except AlertRuleError as error:
        messages.error(request, error.message)
        return redirect("alerts:detail", alert_id=alert.pk)
    messages.success(request, _("Done: %(action)s.") % {"action": _action_label(action)})
    if action == "delete":
        return redirect("alerts:list")
    target = result if isinstance(result, Alert) else alert
    if action == "update":
        return redirect("alerts:edit", alert_id=target.pk)
    return redirect("alerts:detail", alert_id=target.pk)
