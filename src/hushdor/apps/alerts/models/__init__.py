"""Data and constraints only; rules live in :mod:`hushdor.apps.alerts.services`.

alert.py      Alert (one CAP message), its per-language AlertInfo, AlertArea, AlertApproval
catalogue.py  Template (texts per hazard) and Policy (automatic or reviewed, approvers required)
audit.py      AuditEntry (append-only) and FeedVersion (what the public feeds are cached by)
ingest.py     ExternalAlert, QuarantinedAlert and CapFeedSource (CAP we receive)
tokens.py     ApiToken (hashed bearer tokens for machine clients)
"""

from hushdor.apps.alerts.models.alert import (
    Alert,
    AlertApproval,
    AlertArea,
    AlertInfo,
    AlertState,
    AreaKind,
    Hazard,
)
from hushdor.apps.alerts.models.audit import AuditEntry, FeedVersion
from hushdor.apps.alerts.models.catalogue import Policy, PolicyMode, Template
from hushdor.apps.alerts.models.ingest import CapFeedSource, ExternalAlert, ExternalState, QuarantinedAlert
from hushdor.apps.alerts.models.tokens import ApiToken

__all__ = [
    "Alert",
    "AlertApproval",
    "AlertArea",
    "AlertInfo",
    "AlertState",
    "ApiToken",
    "AreaKind",
    "AuditEntry",
    "CapFeedSource",
    "ExternalAlert",
    "ExternalState",
    "FeedVersion",
    "Hazard",
    "Policy",
    "PolicyMode",
    "QuarantinedAlert",
    "Template",
]
