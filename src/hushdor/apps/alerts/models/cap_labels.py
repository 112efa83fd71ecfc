"""Operator-facing labels of the CAP 1.2 code values (OASIS CAP 1.2 §3.2). The stored value stays the
CAP code; only what a person reads is translated."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hushdor.cap.model import Category, Certainty, MsgType, ResponseType, Scope, Severity, Status, Urgency

CAP_LABELS: dict[type[StrEnum], dict[str, object]] = {
    Status: {
        Status.ACTUAL: _("Actual"),
        Status.EXERCISE: _("Exercise"),
        Status.SYSTEM: _("System"),
        Status.TEST: _("Test"),
        Status.DRAFT: pgettext_lazy("CAP status", "Draft"),
    },
    MsgType: {
        MsgType.ALERT: pgettext_lazy("CAP message type", "Alert"),
        MsgType.UPDATE: pgettext_lazy("CAP message type", "Update"),
        MsgType.CANCEL: pgettext_lazy("CAP message type", "Cancel"),
        MsgType.ACK: _("Acknowledgement"),
        MsgType.ERROR: _("Error"),
    },
    Scope: {
        Scope.PUBLIC: _("Public"),
        Scope.RESTRICTED: _("Restricted"),
        Scope.PRIVATE: _("Private"),
    },
    Category: {
        Category.GEO: _("Geophysical"),
        Category.MET: _("Meteorological"),
        Category.SAFETY: _("Public safety"),
        Category.SECURITY: _("Security"),
        Category.RESCUE: _("Rescue and recovery"),
        Category.FIRE: _("Fire"),
        Category.HEALTH: _("Health"),
        Category.ENV: _("Environment"),
        Category.TRANSPORT: _("Transport"),
        Category.INFRA: _("Infrastructure"),
        Category.CBRNE: _("Chemical, biological, radiological, nuclear or explosive"),
        Category.OTHER: pgettext_lazy("CAP category", "Other"),
    },
    ResponseType: {
        ResponseType.SHELTER: _("Take shelter"),
        ResponseType.EVACUATE: _("Evacuate"),
        ResponseType.PREPARE: _("Prepare"),
        ResponseType.EXECUTE: _("Execute the pre-planned action"),
        ResponseType.AVOID: _("Avoid the area"),
        ResponseType.MONITOR: _("Monitor"),
        ResponseType.ASSESS: _("Assess"),
        ResponseType.ALL_CLEAR: _("All clear"),
        ResponseType.NONE: _("No action"),
    },
    Urgency: {
        Urgency.IMMEDIATE: _("Immediate"),
        Urgency.EXPECTED: _("Expected"),
        Urgency.FUTURE: _("Future"),
        Urgency.PAST: _("Past"),
        Urgency.UNKNOWN: pgettext_lazy("CAP urgency", "Unknown"),
    },
    Severity: {
        Severity.EXTREME: _("Extreme"),
        Severity.SEVERE: _("Severe"),
        Severity.MODERATE: _("Moderate"),
        Severity.MINOR: _("Minor"),
        Severity.UNKNOWN: pgettext_lazy("CAP severity", "Unknown"),
    },
    Certainty: {
        Certainty.OBSERVED: _("Observed"),
        Certainty.LIKELY: _("Likely"),
        Certainty.POSSIBLE: _("Possible"),
        Certainty.UNLIKELY: _("Unlikely"),
        Certainty.UNKNOWN: pgettext_lazy("CAP certainty", "Unknown"),
    },
}


def cap_choices(enum: type[StrEnum]) -> list[tuple[str, object]]:
    """``(CAP code, translated label)`` for every member of a CAP code list."""
    labels = CAP_LABELS.get(enum, {})
    return [(member.value, labels.get(member.value, member.value)) for member in enum]


def cap_label(enum: type[StrEnum], value: str) -> str:
    """The translated label of one CAP code value, or the value itself when it is not in the list."""
    return str(CAP_LABELS.get(enum, {}).get(value, value))
