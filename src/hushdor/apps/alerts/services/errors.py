"""Errors the alerts services raise, each with a stable ``code`` that the API and UI show.

Codes: ``forbidden`` (role missing), ``two_person_rule``, ``wrong_state``, ``already_decided``,
``not_current``, ``validation`` (the CAP validator found errors; ``findings`` lists them),
``bad_input`` (a draft field is malformed), ``not_found``.
"""

from __future__ import annotations

from hushdor.cap.findings import Finding


class AlertRuleError(Exception):
    """A request the alert rules do not allow; ``code`` is stable, ``message`` is for people."""

    code = "rule"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class AlertPermissionError(AlertRuleError):
    code = "forbidden"


class AlertValidationError(AlertRuleError):
    """The alert would not be valid CAP; nothing was published."""

    code = "validation"

    def __init__(self, message: str, *, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings
