"""Fill a Template's ``{placeholders}`` into InfoDrafts, one per language.

Only ``{name}`` with letters, digits and underscores is replaced (never ``str.format``, which would
let a template reach object attributes); unknown placeholders stay visible as ``{name}`` so an editor
sees what is missing.
"""

from __future__ import annotations

import re
from datetime import datetime

from hushdor.apps.alerts.models import Template
from hushdor.apps.alerts.services.drafts import LANGUAGE_CODES, InfoDraft

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


def placeholders_of(template: Template) -> list[str]:
    names: dict[str, None] = {}
    for language in LANGUAGE_CODES:
        for part in ("headline", "description", "instruction"):
            for name in _PLACEHOLDER.findall(getattr(template, f"{part}_{language}")):
                names[name] = None
    return list(names)


def template_info_drafts(
    template: Template,
    *,
    values: dict[str, str] | dict[str, dict[str, str]],
    expires: datetime | None = None,
    onset: datetime | None = None,
    languages: tuple[str, ...] = LANGUAGE_CODES,
) -> list[InfoDraft]:
    """One InfoDraft per language. ``values`` maps a placeholder to a text, or to ``{lang: text}``."""
    drafts = []
    for language in languages:
        filled = {
            name: (value.get(language, "") if isinstance(value, dict) else value)
            for name, value in values.items()
        }
        drafts.append(
            InfoDraft(
                language=language,
                event=getattr(template, f"event_{language}"),
                headline=fill_placeholders(getattr(template, f"headline_{language}"), filled),
                description=fill_placeholders(getattr(template, f"description_{language}"), filled),
                instruction=fill_placeholders(getattr(template, f"instruction_{language}"), filled),
                urgency=template.urgency,
                severity=template.severity,
                certainty=template.certainty,
                category=template.category,
                response_type=template.response_type or None,
                onset=onset,
                expires=expires,
            )
        )
    return drafts


def alert_defaults_ensure() -> int:
    """Create the shipped templates and policies where missing (the migration seeds them too; this
    restores them after a database flush). Returns how many rows were created."""
    from hushdor.apps.alerts.defaults import DEFAULT_POLICIES, DEFAULT_TEMPLATES
    from hushdor.apps.alerts.models import Policy

    created = 0
    for fields in DEFAULT_TEMPLATES:
        created += Template.objects.get_or_create(
            hazard=fields["hazard"], name=fields["name"], defaults=fields
        )[1]
    for hazard, severity, mode, approvers in DEFAULT_POLICIES:
        created += Policy.objects.get_or_create(
            hazard=hazard, severity=severity, defaults={"mode": mode, "approvers_required": approvers}
        )[1]
    return created
