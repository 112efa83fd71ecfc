"""Live preview: the CAP XML the compose form would produce, the validator's findings, each info's
area descriptions, and the SMS text with its segment count per language (GSM-7 160 / UCS-2 70 per
single SMS; 3GPP TS 23.038)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from hushdor.apps.alerts.services import AlertRuleError, alert_create_draft
from hushdor.apps.alerts.services.publish import findings_for
from hushdor.apps.alerts.views.forms import drafts_from_post
from hushdor.apps.alerts.views.pages import operator_required
from hushdor.cap.sms import sms_segments


def sms_text(headline: str, instruction: str) -> str:
    return f"{headline}. {instruction}".strip() if instruction else headline


class _Rollback(Exception):
    pass


@require_POST
@operator_required("editor")
def preview(request: HttpRequest) -> JsonResponse:
    """Writes the draft inside a transaction that is always rolled back, so preview and issue share
    one code path (what you preview is what would be validated and signed)."""
    result: dict = {}
    try:
        with transaction.atomic():
            hazard, infos, areas, note = drafts_from_post(request.POST)
            alert = alert_create_draft(actor=request.user, hazard=hazard, infos=infos, areas=areas, note=note)
            xml, findings = findings_for(alert)
            result = {
                "xml": xml.decode("utf-8"),
                "findings": [
                    {"code": f.code, "severity": f.severity, "message": f.message, "path": f.path}
                    for f in findings
                ],
                "sms": {},
                "areas": {},
            }
            areas = list(alert.areas.all())
            for info in alert.infos.all():
                result["areas"][info.language] = [area.description_in(info.language) for area in areas]
                text = sms_text(info.headline, info.instruction)
                counted = sms_segments(text)
                result["sms"][info.language] = {
                    "text": text,
                    "encoding": counted.encoding,
                    "characters": counted.characters,
                    "segments": counted.segments,
                }
            raise _Rollback
    except _Rollback:
        return JsonResponse(result)
    except AlertRuleError as error:
        return JsonResponse(
            {
                "xml": "",
                "sms": {},
                "areas": {},
                "findings": [{"code": error.code, "severity": "error", "message": error.message, "path": ""}],
            },
            status=422,
        )
