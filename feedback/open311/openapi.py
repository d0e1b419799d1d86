"""The API's OpenAPI 3.1 description, served at /open311/v2/openapi.json and
used by the fuzz test (tests/open311/test_fuzz.py) to check every answer."""
from __future__ import annotations

NULLABLE_TEXT = {"type": ["string", "null"]}
TIME = {"type": ["string", "null"], "format": "date-time"}
ERRORS = {"type": "array", "items": {
    "type": "object", "required": ["code", "description"],
    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}
SERVICE = {"type": "object", "required": ["service_code", "service_name", "metadata", "type"],
           "properties": {"service_code": {"type": "string"}, "service_name": {"type": "string"},
                          "description": {"type": "string"}, "metadata": {"type": "boolean"},
                          "type": {"enum": ["realtime", "batch", "blackbox"]},
                          "keywords": {"type": "string"}, "group": {"type": "string"}}}
ATTRIBUTE = {"type": "object", "required": ["variable", "code", "datatype", "required", "order"],
             "properties": {
                 "variable": {"type": "boolean"}, "code": {"type": "string"},
                 "datatype": {"enum": ["string", "number", "datetime", "text",
                                       "singlevaluelist", "multivaluelist"]},
                 "required": {"type": "boolean"}, "datatype_description": {"type": "string"},
                 "order": {"type": "integer"}, "description": {"type": "string"},
                 "values": {"type": "array", "items": {
                     "type": "object", "properties": {"key": {"type": "string"},
                                                      "name": {"type": "string"}}}}}}
REQUEST = {"type": "object", "required": ["service_request_id", "status"], "properties": {
    "service_request_id": {"type": "string"}, "status": {"enum": ["open", "closed"]},
    "status_notes": NULLABLE_TEXT, "service_name": NULLABLE_TEXT, "service_code": NULLABLE_TEXT,
    "description": NULLABLE_TEXT, "agency_responsible": NULLABLE_TEXT,
    "service_notice": NULLABLE_TEXT, "requested_datetime": TIME, "updated_datetime": TIME,
    "expected_datetime": TIME, "address": NULLABLE_TEXT, "address_id": NULLABLE_TEXT,
    "zipcode": NULLABLE_TEXT, "lat": {"type": ["number", "null"]},
    "long": {"type": ["number", "null"]}, "media_url": NULLABLE_TEXT}}
CREATED = {"type": "array", "items": {"type": "object", "required": ["service_request_id"],
                                      "properties": {"service_request_id": {"type": "string"},
                                                     "service_notice": {"type": "string"},
                                                     "account_id": NULLABLE_TEXT}}}
DISCOVERY = {"type": "object", "required": ["changeset", "contact", "endpoints"], "properties": {
    "changeset": {"type": "string"}, "contact": {"type": "string"}, "key_service": {"type": "string"},
    "endpoints": {"type": "array", "items": {"type": "object", "properties": {
        "specification": {"type": "string"}, "url": {"type": "string"},
        "changeset": {"type": "string"}, "type": {"type": "string"},
        "formats": {"type": "array", "items": {"type": "string"}}}}}}}
TOKEN = {"type": "array", "items": {"type": "object", "properties": {
    "service_request_id": {"type": "string"}, "token": {"type": "string"}}}}


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _path(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string"}}


JURISDICTION = _query("jurisdiction_id", "Accepted and ignored: this endpoint serves one city.")
LIST_PARAMETERS = [
    _query("service_request_id", "Comma-separated tracking codes; overrides the other filters."),
    _query("service_code", "Comma-separated service codes."),
    _query("start_date", "Received on or after (W3C datetime).", {"type": "string", "format": "date-time"}),
    _query("end_date", "Received on or before; the window is at most 90 days, the last 90 by default.",
           {"type": "string", "format": "date-time"}),
    _query("status", "open, closed or both, comma-separated."),
    _query("page", "Page number (extension).", {"type": "integer", "minimum": 1}),
    _query("page_size", "Requests per page, at most 1000 (extension).",
           {"type": "integer", "minimum": 1, "maximum": 1000}),
    JURISDICTION,
]
FORM = {"type": "object", "required": ["api_key", "service_code"], "properties": {
    **{name: {"type": "string"} for name in (
        "api_key", "service_code", "jurisdiction_id", "address_string", "address_id", "email",
        "device_id", "account_id", "first_name", "last_name", "phone", "description", "media_url")},
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "long": {"type": "number", "minimum": -180, "maximum": 180}},
    "additionalProperties": {"type": "string"}}


def _responses(schema: dict, fmt: str, described: str, errors: tuple[int, ...]) -> dict:
    mimetype = "text/xml" if fmt == "xml" else "application/json"
    body = {"type": "string"} if fmt == "xml" else schema
    error_body = {"type": "string"} if fmt == "xml" else ERRORS
    answers = {"200": {"description": described, "content": {mimetype: {"schema": body}}}}
    for status in errors + (429,):
        answers[str(status)] = {"description": "Errors", "content": {mimetype: {"schema": error_body}}}
    return answers


def _operation(summary: str, schema: dict, fmt: str, errors: tuple[int, ...],
               parameters: list[dict], body: dict | None = None) -> dict:
    operation = {"summary": f"{summary} ({fmt.upper()})", "parameters": parameters,
                 "responses": _responses(schema, fmt, summary, errors)}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/x-www-form-urlencoded": {"schema": body}}}
    return operation


def _paths() -> dict:
    paths: dict = {}
    for fmt in ("xml", "json"):
        paths[f"/open311/v2/discovery.{fmt}"] = {"get": _operation(
            "Discovery", DISCOVERY, fmt, (), [])}
        paths[f"/open311/v2/services.{fmt}"] = {"get": _operation(
            "Service list", {"type": "array", "items": SERVICE}, fmt, (400,), [JURISDICTION])}
        paths[f"/open311/v2/services/{{service_code}}.{fmt}"] = {"get": _operation(
            "Service definition", {"type": "object", "properties": {
                "service_code": {"type": "string"},
                "attributes": {"type": "array", "items": ATTRIBUTE}}},
            fmt, (400, 404), [_path("service_code", "A service code."), JURISDICTION])}
        paths[f"/open311/v2/requests.{fmt}"] = {
            "get": _operation("Service requests", {"type": "array", "items": REQUEST}, fmt,
                              (400,), LIST_PARAMETERS),
            "post": _operation("Create a service request", CREATED, fmt, (400, 403, 404), [], FORM)}
        paths[f"/open311/v2/requests/{{service_request_id}}.{fmt}"] = {"get": _operation(
            "One service request", {"type": "array", "items": REQUEST}, fmt, (400, 404),
            [_path("service_request_id", "A tracking code."), JURISDICTION])}
        paths[f"/open311/v2/tokens/{{token}}.{fmt}"] = {"get": _operation(
            "Service request id from a token", TOKEN, fmt, (400, 404),
            [_path("token", "A token."), JURISDICTION])}
    return paths


def description(base_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Open311 GeoReport v2 — phản ánh, kiến nghị", "version": "2",
                 "description": "Read published results and file cases. See /open311/v2/."},
        "servers": [{"url": base_url}],
        "paths": _paths(),
    }
