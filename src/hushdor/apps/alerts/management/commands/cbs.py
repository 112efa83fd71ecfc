"""``hushdor cbs``: CAP → cell-broadcast pages and back (pure computation, no database).

    hushdor cbs encode FILE.xml [--json] [--geo-scope plmn_wide|cell_wide|...]
    hushdor cbs decode HEX_PAGE [HEX_PAGE ...] [--json]

``encode`` prints ``{"messages": [{"language", "message_id", "serial", "dcs", "pages": ["<176 hex>", …]}]}``
(one message per CAP info; a Cancel lists the messages to withdraw, without pages). ``decode`` reads
pages back (for tests, and for an operator checking what a CBC received). Bad input: one line on
stderr, exit code 2.
"""

from __future__ import annotations

import binascii
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hushdor.cap.safety import DEFAULT_MAX_BYTES, read_limited
from hushdor.cap.xml import parse
from hushdor.cbs.from_cap import messages_for
from hushdor.cbs.pages import GEO_SCOPES, CbsError, decode_pages


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Cell broadcast: encode a CAP file into 3GPP TS 23.041 pages, or decode pages"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{encode,decode}")
        encode = actions.add_parser("encode", help="CAP 1.2 file → CBS messages of 88-octet pages")
        encode.add_argument("file", type=Path)
        encode.add_argument("--json", action="store_true")
        encode.add_argument("--geo-scope", choices=sorted(GEO_SCOPES), default="plmn_wide")
        decode = actions.add_parser("decode", help="88-octet pages (hex) → identifier, serial and text")
        decode.add_argument("pages", nargs="+")
        decode.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "decode":
            self._decode(options)
            return
        data, problem = read_limited(options["file"], DEFAULT_MAX_BYTES)
        if problem is not None:
            raise _fail(problem.message)
        parsed = parse(data or b"")
        if parsed.alert is None:
            errors = "; ".join(f.message for f in parsed.findings if f.severity == "error")
            raise _fail(f"{options['file']}: not a readable CAP 1.2 alert: {errors}")
        try:
            messages = messages_for(parsed.alert, geo_scope=options["geo_scope"])
        except CbsError as error:
            raise _fail(f"{options['file']}: {error}") from error
        if options["json"]:
            self.stdout.write(json.dumps({"messages": [m.to_json() for m in messages]}, ensure_ascii=False))
            return
        for message in messages:
            what = "withdraw" if message.cancel else f"{len(message.pages)} page(s), DCS {message.dcs:#04x}"
            self.stdout.write(
                f"{message.language}: identifier {message.message_id}, serial {message.serial.value} "
                f"(code {message.serial.message_code}, update {message.serial.update_number}) — {what}"
            )

    def _decode(self, options: dict[str, Any]) -> None:
        try:
            decoded = decode_pages([binascii.unhexlify(page.strip()) for page in options["pages"]])
        except (binascii.Error, ValueError) as error:  # CbsError is a ValueError
            raise _fail(f"cannot decode the pages: {error}") from error
        document = {
            "message_id": decoded.message_id,
            "serial": decoded.serial.value,
            "dcs": decoded.dcs,
            "pages": decoded.pages,
            "text": decoded.text,
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False) if options["json"] else decoded.text)
