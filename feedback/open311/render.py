"""GeoReport v2 documents in XML (the spec's format) and JSON, from plain
values: dataclasses, dicts and lists. A list's items are named by the element
they sit in (`endpoints` holds `endpoint`s); times are W3C datetimes with the
local offset."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from xml.etree import ElementTree as ET

from flask import Response

from ..domain.calendar import LOCAL_TZ

ITEM_OF = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute",
           "values": "value", "services": "service", "service_requests": "request",
           "errors": "error"}
MIMETYPES = {"xml": "text/xml", "json": "application/json"}


def w3c(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def plain(value):
    """JSON-ready values: dataclasses as dicts, times as W3C text."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, datetime):
        return w3c(value)
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, item in value.items():
            element.append(_element(key, item))
    elif isinstance(value, list):
        for item in value:
            element.append(_element(ITEM_OF.get(tag, "item"), item))
    else:
        element.text = _text(value)
    return element


def xml(root: str, value) -> bytes:
    return ET.tostring(_element(root, plain(value)), encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, value, status: int = 200) -> Response:
    """`value` as the document `root` (the XML root; JSON has no root element)."""
    if fmt == "xml":
        body = xml(root, value)
    else:
        body = json.dumps(plain(value), ensure_ascii=False)
    return Response(body, status=status, mimetype=MIMETYPES[fmt])


def errors(fmt: str, status: int, messages: dict[str, str]) -> Response:
    """The spec's error list: one {code, description} per problem."""
    listing = [{"code": status, "description": f"{field}: {message}" if field else str(message)}
               for field, message in messages.items()]
    return respond(fmt, "errors", listing, status)
