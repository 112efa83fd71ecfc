"""Built-in earthquake warning texts in Tajik, Russian and English.

Used for the parts of the message the alert Template does not hold (exposure per intensity, the most
affected districts and settlements, the alert level and its meaning), as the whole message when no
earthquake Template exists, and for each area's ``<areaDesc>`` ("Зона сотрясений 8 баллов и более:
Мургаб, Рушан"). The alert-level meanings paraphrase USGS PAGER's (Wald et al., 2010, USGS
Fact Sheet 2010-3036): green — no or limited impact; yellow — some; orange — significant, national
response; red — extensive, international response.

Intensity is written the way each language's readers write it: "MMI VIII" in English, "8 балл" in
Tajik and "8 баллов" in Russian (Arabic digits, as CoES and the Russian-language press give shaking
"силой N баллов"); Roman numerals would also put Latin letters into Cyrillic text, which the CAP
validator reports as mixed script (:mod:`hushdor.cap.language`).
"""

from __future__ import annotations

from hushdor.apps.monitoring.services.quake_policy import roman

LANGUAGES = ("tg", "ru", "en")

FALLBACK_TEMPLATE: dict[str, dict[str, str]] = {
    "event": {"tg": "Заминларза", "ru": "Землетрясение", "en": "Earthquake"},
    "headline": {
        "tg": "Заминларзаи бузургиаш {magnitude}: {area}",
        "ru": "Землетрясение магнитудой {magnitude}: {area}",
        "en": "Magnitude {magnitude} earthquake: {area}",
    },
    "description": {
        "tg": "Соати {time} ба вақти Душанбе дар масофаи {distance} км {area_from} заминларзаи бузургиаш "
        "{magnitude} (чуқурӣ {depth} км) ба амал омад.",
        "ru": "В {time} по душанбинскому времени в {distance} км {area_from} произошло землетрясение "
        "магнитудой {magnitude} (глубина {depth} км).",
        "en": "A magnitude {magnitude} earthquake (depth {depth} km) occurred at {time} Dushanbe time, "
        "{distance} km {area_from}.",
    },
    "instruction": {
        "tg": "Ба биноҳои осебдида надароед. Ба ларзишҳои такрорӣ омода бошед. Газро хомӯш кунед, ба "
        "осебдидагон ёрӣ расонед ва дастуриҳои КҲФ ва МГ-ро иҷро намоед.",
        "ru": "Не входите в повреждённые здания. Будьте готовы к повторным толчкам. Перекройте газ, "
        "окажите помощь пострадавшим и следуйте указаниям КЧС и ГО.",
        "en": "Stay out of damaged buildings. Be ready for aftershocks. Turn off the gas, help the injured "
        "and follow the instructions of the Committee of Emergency Situations.",
    },
}

# "{area_from}" when no settlement is shaken: the agency's own place description, quoted, never declined.
FROM_UNNAMED = {"tg": "аз «{place}»", "ru": "от пункта «{place}»", "en": "from {place}"}

EXPOSURE_LINE = {
    "tg": "Шумораи тахминии аҳолии зери ларзиш: {rows}.",
    "ru": "Оценка численности населения в зоне сотрясений: {rows}.",
    "en": "Estimated population exposed to shaking: {rows}.",
}
EXPOSURE_ROW = {"tg": "{mmi} — {people}", "ru": "{mmi} — {people}", "en": "MMI {mmi}: {people}"}
DISTRICTS_LINE = {
    "tg": "Ноҳияҳои бештар осебдида: {names}.",
    "ru": "Наиболее пострадавшие районы: {names}.",
    "en": "Most affected districts: {names}.",
}
SETTLEMENTS_LINE = {
    "tg": "Маҳалҳои аҳолинишин бо ларзиши шадидтарин: {names}.",
    "ru": "Населённые пункты с самыми сильными сотрясениями: {names}.",
    "en": "Settlements with the strongest shaking: {names}.",
}
ALERT_LINE = {
    "tg": "Сатҳи хатар: {level} — {meaning}.",
    "ru": "Уровень тревоги: {level} — {meaning}.",
    "en": "Alert level: {level} — {meaning}.",
}
ALERT_NAMES = {
    "green": {"tg": "сабз", "ru": "зелёный", "en": "green"},
    "yellow": {"tg": "зард", "ru": "жёлтый", "en": "yellow"},
    "orange": {"tg": "норинҷӣ", "ru": "оранжевый", "en": "orange"},
    "red": {"tg": "сурх", "ru": "красный", "en": "red"},
}
ALERT_MEANINGS = {
    "green": {
        "tg": "талафоти ҷонӣ ва харобиҳои назаррас интизор намераванд",
        "ru": "значительных жертв и разрушений не ожидается",
        "en": "no or limited casualties and damage are expected",
    },
    "yellow": {
        "tg": "талафоти ҷонӣ ва харобиҳо имконпазиранд; вокуниши маҳаллӣ ё минтақавӣ лозим аст",
        "ru": "возможны жертвы и разрушения; требуется реагирование на местном или региональном уровне",
        "en": "some casualties and damage are possible; a local or regional response is needed",
    },
    "orange": {
        "tg": "талафот ва харобиҳои назаррас эҳтимол доранд; вокуниши миллӣ лозим аст",
        "ru": "вероятны значительные жертвы и разрушения; требуется реагирование на национальном уровне",
        "en": "significant casualties and damage are likely; a national response is needed",
    },
    "red": {
        "tg": "талафоти зиёд ва харобиҳои васеъ эҳтимол доранд; кӯмаки байналмилалӣ лозим шуда метавонад",
        "ru": "вероятны многочисленные жертвы и обширные разрушения; может потребоваться международная помощь",
        "en": "extensive casualties and damage are probable; international assistance may be needed",
    },
}
AREA_LINE = {
    "tg": "Минтақаи ларзиши {mmi} ва зиёда",
    "ru": "Зона сотрясений {mmi} и более",
    "en": "MMI {mmi}+ shaking",
}
MODELLED_NOTE = {
    "tg": "Рақамҳо арзёбии моделӣ мебошанд, на маълумоти мушоҳидашуда.",
    "ru": "Цифры — модельная оценка, а не наблюдённые данные.",
    "en": "Figures are modelled estimates, not observations.",
}
REPLAY_NOTE = {
    "tg": "МАШҚ: такрори заминларзаи гузашта.",
    "ru": "УЧЕНИЯ: воспроизведение прошлого землетрясения.",
    "en": "EXERCISE: replay of a past earthquake.",
}


def intensity(level: int, language: str) -> str:
    """An intensity level in ``language``: "VIII" (en), "8 балл" (tg), "8 баллов" / "4 балла" (ru)."""
    if language == "tg":
        return f"{level} балл"
    if language == "ru":
        return f"{level} {_russian_ball(level)}"
    return roman(level)


def _russian_ball(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return "балл"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "балла"
    return "баллов"
