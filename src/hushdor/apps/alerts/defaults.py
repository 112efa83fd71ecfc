"""Default message templates (tg/ru/en) and issuing policies shipped with Hushdor.

The Tajik and Russian wording follows the public-warning style of the Committee of Emergency
Situations and Civil Defence under the Government of the Republic of Tajikistan (КҲФ ва МГ /
КЧС и ГО). Placeholders in braces are filled when an alert is composed: ``{area}``, ``{time}``,
``{area_from}`` (the nearest place after "from", in the case each language needs: «от Мургаба», «аз Мурғоб»; hushdor.geo.place_cases), ``{magnitude}``, ``{distance}``, ``{river}``, ``{lake}``, ``{observation}``, ``{arrival}``.

Default policy: the two sensor-triggered hazards of the fast chain (earthquake, lake outburst at
Sarez) issue Severe/Extreme alerts automatically and ask for review afterwards, as proposed in
``reference/notes/anchors-alerting.md`` §11 ("two-speed pipeline"); everything else is reviewed.
"""

from __future__ import annotations

COES_TG = "Кумитаи ҳолатҳои фавқулодда ва мудофиаи граждании назди Ҳукумати Ҷумҳурии Тоҷикистон"
COES_RU = "Комитет по чрезвычайным ситуациям и гражданской обороне при Правительстве Республики Таджикистан"

DEFAULT_TEMPLATES: list[dict[str, str]] = [
    {
        "hazard": "earthquake",
        "name": "Strong earthquake",
        "category": "Geo",
        "response_type": "Prepare",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
        "event_tg": "Заминларза",
        "event_ru": "Землетрясение",
        "event_en": "Earthquake",
        "headline_tg": "Заминларзаи шадид: {area}",
        "headline_ru": "Сильное землетрясение: {area}",
        "headline_en": "Strong earthquake: {area}",
        "description_tg": "Соати {time} ба вақти маҳаллӣ дар масофаи {distance} км {area_from} заминларзаи "
        "бузургиаш {magnitude} ба амал омад. Ларзишҳои шадид интизор мераванд; ларзишҳои такрорӣ "
        "эҳтимол доранд.",
        "description_ru": "В {time} по местному времени в {distance} км {area_from} произошло землетрясение "
        "магнитудой {magnitude}. Ожидаются сильные сотрясения; вероятны повторные толчки.",
        "description_en": "An earthquake of magnitude {magnitude} occurred at {time} local time, {distance} km "
        "{area_from}. Strong shaking is expected; aftershocks are likely.",
        "instruction_tg": "Ба биноҳои осебдида надароед. Ба ларзишҳои такрорӣ омода бошед. Газро хомӯш "
        "кунед, ба осебдидагон ёрӣ расонед ва дастуриҳои КҲФ ва МГ-ро иҷро намоед.",
        "instruction_ru": "Не входите в повреждённые здания. Будьте готовы к повторным толчкам. Перекройте "
        "газ, окажите помощь пострадавшим и следуйте указаниям КЧС и ГО.",
        "instruction_en": "Stay out of damaged buildings. Be ready for aftershocks. Turn off the gas, help "
        "the injured and follow the instructions of the Committee of Emergency Situations.",
    },
    {
        "hazard": "flood",
        "name": "Flood warning",
        "category": "Met",
        "response_type": "Prepare",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "event_tg": "Обхезӣ",
        "event_ru": "Наводнение",
        "event_en": "Flood",
        "headline_tg": "Хатари обхезӣ: {area}",
        "headline_ru": "Угроза наводнения: {area}",
        "headline_en": "Flood warning: {area}",
        "description_tg": "Сатҳи об дар дарёи {river} босуръат баланд мешавад; аз соати {time} дар {area} "
        "обхезӣ интизор меравад.",
        "description_ru": "Уровень воды в реке {river} быстро поднимается; с {time} в {area} ожидается "
        "подтопление.",
        "description_en": "Water on the {river} river is rising fast; flooding is expected in {area} from "
        "{time}.",
        "instruction_tg": "Ба ҷойҳои баланд бароед, аз соҳили дарё дур шавед, аз роҳҳои зериобмонда "
        "нагузаред; ҳуҷҷатҳо, об ва доруҳоро омода кунед.",
        "instruction_ru": "Поднимитесь на возвышенность, держитесь подальше от берегов, не переходите "
        "затопленные дороги; подготовьте документы, воду и лекарства.",
        "instruction_en": "Move to higher ground, keep away from river banks and do not cross flooded "
        "roads; have documents, water and medicines ready.",
    },
    {
        "hazard": "mudflow",
        "name": "Mudflow danger",
        "category": "Geo",
        "response_type": "Avoid",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "event_tg": "Сел",
        "event_ru": "Сель",
        "event_en": "Mudflow",
        "headline_tg": "Хатари сел: {area}",
        "headline_ru": "Селевая опасность: {area}",
        "headline_en": "Mudflow danger: {area}",
        "description_tg": "Бинобар боришоти шадид то соати {time} дар {area} хатари омадани сел баланд аст.",
        "description_ru": "Из-за сильных дождей до {time} в {area} высока опасность схода селей.",
        "description_en": "After heavy rain the danger of mudflows and debris flows in {area} is high until "
        "{time}.",
        "instruction_tg": "Маҷрои дарёҳо ва даҳанаи сойҳоро тарк кунед, дар пастиҳои назди ҷӯйҳо намонед ва "
        "ба кӯчонидан омода бошед.",
        "instruction_ru": "Покиньте русла рек и устья саев, не оставайтесь в низинах у водотоков, будьте "
        "готовы к эвакуации.",
        "instruction_en": "Leave river beds and the mouths of ravines, do not stay on low ground near "
        "streams, and be ready to evacuate.",
    },
    {
        "hazard": "avalanche",
        "name": "Avalanche danger",
        "category": "Geo",
        "response_type": "Avoid",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "event_tg": "Тарма",
        "event_ru": "Лавина",
        "event_en": "Avalanche",
        "headline_tg": "Хатари тарма: {area}",
        "headline_ru": "Лавинная опасность: {area}",
        "headline_en": "Avalanche danger: {area}",
        "description_tg": "То соати {time} дар {area} хатари фаромадани тарма баланд боқӣ мемонад; тармаҳо "
        "метавонанд ба роҳҳо ва деҳаҳо расанд.",
        "description_ru": "До {time} в {area} сохраняется высокая лавинная опасность; лавины могут достичь "
        "дорог и населённых пунктов.",
        "description_en": "Until {time} the avalanche danger in {area} stays high; avalanches may reach "
        "roads and villages.",
        "instruction_tg": "Ба кӯҳҳо ва ағбаҳо сафар накунед, аз нишебиҳои хатарнок дур бошед ва "
        "басташавии роҳҳоро риоя намоед.",
        "instruction_ru": "Не выезжайте в горы и на перевалы, держитесь подальше от лавиноопасных склонов, "
        "соблюдайте закрытие дорог.",
        "instruction_en": "Do not travel into the mountains or over the passes, keep away from avalanche "
        "slopes and respect road closures.",
    },
    {
        "hazard": "lake_outburst",
        "name": "Lake outburst (Sarez)",
        "category": "Geo",
        "response_type": "Evacuate",
        "urgency": "Immediate",
        "severity": "Extreme",
        "certainty": "Likely",
        "event_tg": "Рахнашавии кӯл",
        "event_ru": "Прорыв озера",
        "event_en": "Lake outburst flood",
        "headline_tg": "Хатари рахнашавии кӯли {lake}",
        "headline_ru": "Угроза прорыва озера {lake}",
        "headline_en": "Outburst danger at lake {lake}",
        "description_tg": "Низоми мониторинги кӯли {lake} қайд кард: {observation}. Селоби рахнашавии кӯл "
        "метавонад дар давоми {arrival} соат ба {area} расад.",
        "description_ru": "Система мониторинга озера {lake} зафиксировала: {observation}. Паводок от прорыва "
        "озера может достичь {area} в течение {arrival} ч.",
        "description_en": "The monitoring system at lake {lake} recorded: {observation}. An outburst flood "
        "may reach {area} within {arrival} hours.",
        "instruction_tg": "Фавран ба ҷойҳои бехатари муайяншуда болотар аз қаъри водӣ кӯчед; ҳуҷҷатҳо, об ва "
        "либоси гарм гиред; дастуриҳои наҷотдиҳандагонро иҷро кунед.",
        "instruction_ru": "Немедленно уходите в назначенные безопасные места выше дна долины; возьмите "
        "документы, воду и тёплую одежду; следуйте указаниям спасателей.",
        "instruction_en": "Go at once to the designated safe places above the valley floor; take documents, "
        "water and warm clothes; follow the rescuers' instructions.",
    },
]

# (hazard, severity, mode, approvers_required)
DEFAULT_POLICIES: list[tuple[str, str, str, int]] = [
    ("earthquake", "Extreme", "automatic", 1),
    ("earthquake", "Severe", "automatic", 1),
    # Mudflows in the Varzob and Zarafshon valleys arrive within an hour of the rain: like earthquakes,
    # a Severe or Extreme exceedance is issued at once and reviewed afterwards.
    ("mudflow", "Extreme", "automatic", 1),
    ("mudflow", "Severe", "automatic", 1),
    ("flood", "Extreme", "automatic", 1),
    # Sarez: a sensor alarm is never public by itself (the 2005 lesson): a person verifies it, which
    # writes the warning, and a second person approves it (two-person rule).
    ("lake_outburst", "Extreme", "reviewed", 1),
    ("lake_outburst", "Severe", "reviewed", 1),
]
# Everything else (flood Severe, avalanche, Moderate levels) falls to the default: reviewed, one approver.
