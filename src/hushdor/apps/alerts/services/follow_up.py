"""What a follow-up message (Update, Cancel, All clear) copies from the current one, and the fixed
texts of Cancel and All-clear messages in tg/ru/en."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from hushdor.apps.alerts.models import Alert
from hushdor.apps.alerts.services.drafts import AreaDraft, InfoDraft

# How long a Cancel or All-clear message stays in the public feeds, so that aggregators polling
# every 30 min (anchors-alerting §9) see it several times. This project's choice.
FOLLOW_UP_VISIBLE = timedelta(hours=6)

CANCELLED_PREFIX = {"tg": "Бекор карда шуд", "ru": "Отменено", "en": "Cancelled"}
ALL_CLEAR_HEADLINE = {"tg": "Хатар бартараф шуд", "ru": "Отбой тревоги", "en": "All clear"}
ALL_CLEAR_TEXT = {
    "tg": "Хатар гузашт. Бо эҳтиёт ба ҳаёти муқаррарӣ баргардед ва дастуриҳои мақомоти маҳаллиро иҷро кунед.",
    "ru": "Опасность миновала. Возвращайтесь к обычной жизни с осторожностью и следуйте указаниям местных властей.",
    "en": "The danger has passed. Return to normal life with care and follow the local authorities' instructions.",
}


def info_drafts_of(alert: Alert) -> list[InfoDraft]:
    return [
        InfoDraft(
            language=i.language,
            event=i.event,
            headline=i.headline,
            urgency=i.urgency,
            severity=i.severity,
            certainty=i.certainty,
            description=i.description,
            instruction=i.instruction,
            category=i.category,
            response_type=i.response_type or None,
            effective=i.effective,
            onset=i.onset,
            expires=i.expires,
            web=i.web,
            contact=i.contact,
            parameters=dict(i.parameters),
        )
        for i in alert.infos.all()
    ]


def area_drafts_of(alert: Alert) -> list[AreaDraft]:
    return [
        AreaDraft(
            kind="polygon" if a.kind in ("region", "district") else a.kind,
            description=a.description,
            description_tg=a.description_tg,
            description_ru=a.description_ru,
            place_code=a.place_code if a.kind == "settlement" else "",
            polygons=a.polygons,
            circle=(a.circle_lat, a.circle_lon) if a.circle_lat is not None else None,
            radius_km=a.radius_km,
            geocodes=[tuple(g) for g in a.geocodes],
        )
        for a in alert.areas.all()
    ]


def cancelled_info(draft: InfoDraft, prefixes: dict[str, str], now: datetime, note: str) -> InfoDraft:
    return replaced(
        draft,
        headline=f"{prefixes[draft.language]}: {draft.headline}"[:255],
        description=note or draft.description,
        instruction="",
        response_type=None,
        urgency="Past",
        effective=None,
        onset=None,
        expires=now + FOLLOW_UP_VISIBLE,
    )


def all_clear_info(draft: InfoDraft, now: datetime, note: str) -> InfoDraft:
    return replaced(
        draft,
        headline=f"{ALL_CLEAR_HEADLINE[draft.language]}: {draft.event}"[:255],
        description=note or ALL_CLEAR_TEXT[draft.language],
        instruction="",
        response_type="AllClear",
        urgency="Past",
        severity="Minor",
        certainty="Observed",
        effective=None,
        onset=None,
        expires=now + FOLLOW_UP_VISIBLE,
    )


def replaced(draft: InfoDraft, **changes) -> InfoDraft:
    return dataclasses.replace(draft, **changes)
