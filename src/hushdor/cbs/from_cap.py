"""CAP → cell broadcast: one CBS message per CAP info, with the serial number the CAP lineage implies.

* text: the info's headline, then its instruction (what to do), as one message; a text over 15 pages
  is refused, never cut silently (CAP authors should keep cell-broadcast text to ~4 pages);
* message code (10 bits): from the chain's first message — the alert itself, or for an Update/Cancel
  the first message it references — ``sha256(sender + identifier) mod 1024``, plus the language's
  position, so each language of a chain keeps one code;
* update number (4 bits): 0 for msgType Alert; for an Update, the number of earlier messages it
  references (our Updates reference every earlier message of the chain), modulo 16;
* geographical scope: PLMN-wide (1), the only scope OsmoCBC's REST interface accepts; cell lists come
  from the operator's coverage table at the CBC;
* a Cancel is not broadcast: the CBC withdraws the message (``DELETE``); ``messages_for`` returns the
  identifiers and serials to kill.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from hushdor.cap.model import Alert, Info
from hushdor.cbs.identifiers import PRESIDENTIAL_PARAMETER, message_identifier
from hushdor.cbs.pages import GEO_SCOPES, SerialNumber, encode_pages

LANGUAGE_ORDER = ("tg", "ru", "en")


@dataclass(frozen=True)
class CbsMessage:
    language: str
    message_id: int
    serial: SerialNumber
    dcs: int
    pages: tuple[bytes, ...]
    text: str
    cancel: bool = False

    def to_json(self) -> dict:
        return {
            "language": self.language,
            "message_id": self.message_id,
            "serial": self.serial.value,
            "serial_fields": {
                "geo_scope": self.serial.geo_scope,
                "message_code": self.serial.message_code,
                "update_number": self.serial.update_number,
            },
            "dcs": self.dcs,
            "cancel": self.cancel,
            "pages": [page.hex() for page in self.pages],
        }


def broadcast_text(info: Info) -> str:
    parts = [part.strip() for part in (info.headline, info.instruction) if part and part.strip()]
    return ". ".join(part.rstrip(".") for part in parts) + "." if parts else (info.event or "").strip()


def _message_code(alert: Alert, language_index: int) -> int:
    first = alert.references[0] if alert.references else None
    sender, identifier = (first.sender, first.identifier) if first else (alert.sender, alert.identifier)
    digest = hashlib.sha256(f"{sender},{identifier}".encode()).digest()
    return (int.from_bytes(digest[:2], "big") + language_index) % 1024


def messages_for(alert: Alert, *, geo_scope: str = "plmn_wide") -> list[CbsMessage]:
    """One CBS message per info of ``alert`` (a Cancel gives the messages to withdraw, without pages)."""
    update_number = len(alert.references) % 16 if alert.msg_type != "Alert" else 0
    messages = []
    for info in alert.infos:
        language = info.language.split("-")[0].lower()
        index = LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else len(LANGUAGE_ORDER)
        presidential = any(
            p.value_name == PRESIDENTIAL_PARAMETER and p.value.lower() == "true" for p in info.parameters
        )
        identifier = message_identifier(
            status=str(alert.status),
            severity=str(info.severity),
            urgency=str(info.urgency),
            certainty=str(info.certainty),
            language=language,
            presidential=presidential,
        )
        serial = SerialNumber(GEO_SCOPES[geo_scope], _message_code(alert, index), update_number)
        if alert.msg_type == "Cancel":
            messages.append(CbsMessage(language, identifier, serial, 0, (), "", cancel=True))
            continue
        text = broadcast_text(info)
        dcs, pages = encode_pages(text, message_id=identifier, serial=serial)
        messages.append(CbsMessage(language, identifier, serial, dcs, tuple(pages), text))
    return messages
