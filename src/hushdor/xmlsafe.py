"""The hardened lxml parser every XML document from outside goes through (CAP, QuakeML, feeds).

No entity resolution (no billion laughs, no XXE), no DTD loading or validation, no network, no huge
trees, comments and processing instructions dropped. Callers add their own size and depth limits and
refuse DOCTYPE/ENTITY declarations before parsing. Pure: no Django.
"""

from __future__ import annotations

import threading

from lxml import etree

_local = threading.local()


def hardened_parser() -> etree.XMLParser:
    """This thread's hardened parser (lxml parsers must not be shared between threads)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        _local.parser = parser
    return parser
