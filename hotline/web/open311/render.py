"""The two formats of GeoReport v2: XML (required: declaration, UTF-8, the spec's element names, no namespace)
and JSON by the Spark convention (a repeated element becomes an array, its container's name the key)."""
from __future__ import annotations

import json
import re
from xml.etree import ElementTree

from flask import Response

from hotline.domain.open311 import FORMATS

# the element each list's items are written as, by the list's element name
ITEM = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
        "values": "value", "endpoints": "endpoint", "formats": "format"}
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ElementTree.Element, value) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            _fill(ElementTree.SubElement(element, name), inner)
    elif isinstance(value, list | tuple):
        for item in value:
            _fill(ElementTree.SubElement(element, ITEM[element.tag]), item)
    else:
        element.text = _text(value)


def xml(root: str, body) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, body)
    ElementTree.indent(element)
    return (DECLARATION + ElementTree.tostring(element, encoding="unicode") + "\n").encode("utf-8")


def respond(fmt: str, root: str, body, status: int = 200) -> Response:
    """`body`: a list (of the root's items) or a dict (the root's fields), written as `fmt` ("xml" or "json")."""
    if fmt == "xml":
        data = xml(root, body)
    else:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(data, status=status, content_type=FORMATS[fmt])
