"""Operator pages that configure the alerts app: CAP feed sources (with health), message templates
(texts per language, with a preview), issuing policies, and API tokens. Reads via selectors, writes
via services; the admin role is checked here for the pages and again in every service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hushdor.apps.accounts.roles import has_role
from hushdor.apps.alerts import selectors_ingest
from hushdor.apps.alerts.models import ApiToken, CapFeedSource, Template
from hushdor.apps.alerts.services import AlertPermissionError, AlertRuleError
from hushdor.apps.alerts.services.catalogue import TEMPLATE_FIELDS, policy_set, template_save
from hushdor.apps.alerts.services.drafts import LANGUAGE_CODES
from hushdor.apps.alerts.services.ingest_admin import cap_feed_source_create, cap_feed_source_edit
from hushdor.apps.alerts.services.templates import fill_placeholders, placeholders_of
from hushdor.apps.alerts.services.tokens import api_token_create, api_token_revoke
from hushdor.apps.alerts.views.pages import LANGUAGES, operator_required
from hushdor.apps.alerts.views.preview import sms_text
from hushdor.apps.alerts.views.settings_forms import FeedSourceForm, PolicyForm, TemplateForm, TokenForm
from hushdor.cap.sms import sms_segments


class _Refused(Exception):
    """A service refused; its message is already queued for the operator."""


def _call(request: HttpRequest, write):
    try:
        return write()
    except AlertPermissionError as error:
        raise PermissionDenied(error.message) from error
    except AlertRuleError as error:
        messages.error(request, error.message)
        raise _Refused from error


@operator_required("viewer")
def feed_sources(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "alerts/sources.html",
        {"rows": selectors_ingest.feed_sources_health(), "can_edit": has_role(request.user, "admin")},
    )


@require_http_methods(["GET", "POST"])
@operator_required("admin")
def feed_source_form(request: HttpRequest, source_id: int | None = None) -> HttpResponse:
    source = get_object_or_404(CapFeedSource, pk=source_id) if source_id else None
    initial = (
        {
            "name": source.name,
            "url": source.url,
            "enabled": source.enabled,
            "poll_interval_s": source.poll_interval_s,
        }
        if source
        else None
    )
    form = FeedSourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        try:
            if source is None:
                _call(request, lambda: cap_feed_source_create(actor=request.user, fields=fields))
            else:
                _call(request, lambda: cap_feed_source_edit(actor=request.user, source=source, fields=fields))
        except _Refused:
            pass
        else:
            messages.success(request, _("The feed source was saved."))
            return redirect("alerts:sources")
    return render(request, "alerts/source_form.html", {"form": form, "source": source})


@operator_required("editor")
def templates_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "alerts/templates.html",
        {"templates": Template.objects.all(), "can_edit": has_role(request.user, "admin")},
    )


@require_http_methods(["GET", "POST"])
@operator_required("admin")
def template_form(request: HttpRequest, template_id: int | None = None) -> HttpResponse:
    template = get_object_or_404(Template, pk=template_id) if template_id else None
    form = TemplateForm(request.POST or None, instance=template)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _template_preview(form.cleaned_data, request.POST)
        else:
            values = {name: str(form.cleaned_data[name] or "") for name in form.Meta.fields}
            try:
                saved = _call(
                    request, lambda: template_save(actor=request.user, template=template, values=values)
                )
            except _Refused:
                pass
            else:
                messages.success(request, _("The template was saved."))
                return redirect("alerts:template-edit", template_id=saved.pk)
    return render(
        request,
        "alerts/template_form.html",
        {
            "form": form,
            "template": template,
            "preview": preview,
            "common_fields": [
                form[name] for name in TEMPLATE_FIELDS if name[-3:] not in ("_tg", "_ru", "_en")
            ],
            "language_fields": [
                (
                    code,
                    label,
                    [form[f"{part}_{code}"] for part in ("event", "headline", "description", "instruction")],
                )
                for code, label in LANGUAGES
            ],
        },
    )


def _template_preview(data: dict, post) -> dict:
    """Each language filled with the sample values typed beside the form (unfilled stay ``{name}``)."""
    draft = Template(**{name: data[name] or "" for name in TemplateForm.Meta.fields})
    names = placeholders_of(draft)
    samples = {name: post.get(f"sample_{name}", "").strip() for name in names}
    values = {name: value for name, value in samples.items() if value}
    languages = []
    for code, label in LANGUAGES:
        if code not in LANGUAGE_CODES:
            continue
        texts = {
            part: fill_placeholders(data.get(f"{part}_{code}") or "", values)
            for part in ("headline", "description", "instruction")
        }
        counted = sms_segments(sms_text(texts["headline"], texts["instruction"]))
        languages.append((code, label, texts, counted))
    return {"samples": samples, "languages": languages}


@operator_required("viewer")
def policies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "alerts/policies.html",
        {
            "grid": selectors_ingest.policies_grid(),
            "modes": PolicyForm.base_fields["mode"].choices,
            "can_edit": has_role(request.user, "admin"),
        },
    )


@require_POST
@operator_required("admin")
def policy_change(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect("alerts:policies")
    data = form.cleaned_data
    try:
        _call(
            request,
            lambda: policy_set(
                actor=request.user,
                hazard=data["hazard"],
                severity=data["severity"],
                mode=data["mode"],
                approvers_required=data["approvers_required"],
            ),
        )
    except _Refused:
        pass
    else:
        messages.success(request, _("The policy was saved."))
    return redirect("alerts:policies")


@require_http_methods(["GET", "POST"])
@operator_required("admin")
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, initial={"user": request.user.pk})
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = _call(
                request,
                lambda: api_token_create(
                    user=form.cleaned_data["user"], name=form.cleaned_data["name"], actor=request.user
                ),
            )
        except _Refused:
            pass
        else:
            form = TokenForm(initial={"user": request.user.pk})
    response = render(
        request,
        "alerts/tokens.html",
        {"form": form, "tokens": selectors_ingest.api_tokens_list(), "new_token": new_token},
    )
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@operator_required("admin")
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id)
    try:
        _call(request, lambda: api_token_revoke(actor=request.user, token=token))
    except _Refused:
        pass
    else:
        messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("alerts:tokens")
