"""/open311/v2/: GeoReport v2, each endpoint in XML and JSON. The views parse
and render; the use cases are in services/open311/."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..extensions import limiter
from ..services.errors import Rejected
from ..services.open311 import catalogue, filing, requests
from ..services.open311.keys import digest
from . import openapi, params, render

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
FORMAT = "<any(xml, json):fmt>"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-28T00:00:00+07:00"


def _read_limit() -> str:
    return current_app.config["OPEN311_RATE_LIMIT"]


def _key_limit() -> str:
    return current_app.config["OPEN311_KEY_RATE_LIMIT"]


def _key_bucket() -> str:
    """Requests are counted per key (a wrong key shares one bucket per address)."""
    key = request.form.get("api_key") or ""
    return "open311-key:" + (digest(key) if key else request.remote_addr or "")


@bp.errorhandler(Rejected)
def refused(error: Rejected):
    status = error.status if error.status in (400, 403, 404) else 400
    return render.errors(_format(), status, error.errors)


def _format() -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def http_error(error: HTTPException):
    """Errors of the API's URLs in the API's format (the app's handler calls this)."""
    return render.errors(_format(), error.code or 500, {"": error.description})


@bp.get("/")
def index():
    return render_template("open311/index.html", specification=SPECIFICATION)


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi.description(request.url_root.rstrip("/")))


@bp.get(f"/discovery.{FORMAT}")
@limiter.limit(_read_limit)
def discovery(fmt: str):
    endpoint = {"specification": SPECIFICATION, "url": request.url_root + "open311/v2",
                "changeset": CHANGESET, "type": "production",
                "formats": list(render.MIMETYPES.values())}
    return render.respond(fmt, "discovery", {
        "changeset": CHANGESET, "contact": current_app.config["OPEN311_CONTACT"],
        "key_service": request.url_root + "open311/v2/", "endpoints": [endpoint]})


@bp.get(f"/services.{FORMAT}")
@limiter.limit(_read_limit)
def services(fmt: str):
    return render.respond(fmt, "services", catalogue.services())


@bp.get(f"/services/<service_code>.{FORMAT}")
@limiter.limit(_read_limit)
def service_definition(service_code: str, fmt: str):
    category = catalogue.category(service_code)
    if category is None:
        raise Rejected({"service_code": f"no service {service_code!r}"}, 404)
    attributes = [dict(render.plain(a), values=[{"key": k, "name": n} for k, n in a.values])
                  for a in catalogue.attributes(category)]
    return render.respond(fmt, "service_definition",
                          {"service_code": category.code, "attributes": attributes})


@bp.get(f"/requests.{FORMAT}")
@limiter.limit(_read_limit)
def request_list(fmt: str):
    ids = params.listed(request.args, "service_request_id")
    found = requests.by_ids(list(ids)) if ids else requests.search(params.query(request.args))
    return render.respond(fmt, "service_requests", found)


@bp.post(f"/requests.{FORMAT}")
@limiter.limit(_key_limit, key_func=_key_bucket)
def request_create(fmt: str):
    case = filing.file(params.filing(request.form))
    return render.respond(fmt, "service_requests", [{
        "service_request_id": case.code, "service_notice": filing.notice(case), "account_id": None}])


@bp.get(f"/requests/<service_request_id>.{FORMAT}")
@limiter.limit(_read_limit)
def request_one(service_request_id: str, fmt: str):
    found = requests.by_ids([service_request_id])
    if not found:
        raise Rejected({"service_request_id": f"no request {service_request_id!r}"}, 404)
    return render.respond(fmt, "service_requests", found)


@bp.get(f"/tokens/<token>.{FORMAT}")
@limiter.limit(_read_limit)
def token(token: str, fmt: str):
    """This server knows a request's id as soon as it is filed and returns it
    from POST, so it never issues tokens: every token is unknown."""
    raise Rejected({"token": f"no token {token[:100]!r}"}, 404)

