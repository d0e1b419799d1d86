"""The published results: /results (search, filters, pages), /results/<code>,
and the same list as Atom, CSV and JSON. Everything here reads the public
record of a case, never the case or its reporter."""
from __future__ import annotations

from flask import (
    Blueprint, Response, abort, current_app, render_template, request, stream_with_context,
)

from ..forms import org_choices
from ..services.public import opendata, results
from ..services.public.results import ResultFilters

bp = Blueprint("results", __name__)

FEED_SIZE = 50


def _filters() -> ResultFilters:
    return ResultFilters.from_args(request.args)


def _base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


@bp.get("/results")
def index():
    filters = _filters()
    after = request.args.get("after", type=int)
    page = results.page(filters, after)
    return render_template("web/results.html", page=page, filters=filters, choices=org_choices(),
                           paged=after is not None)


@bp.get("/results/<code>")
def show(code: str):
    record = results.record(code)
    if record is None:
        abort(404)
    return render_template("web/result.html", record=record, events=results.timeline(record))


@bp.get("/results.atom")
def feed():
    filters = _filters()
    records = list(opendata.records(filters, limit=FEED_SIZE))
    body = render_template("web/results.atom.xml", records=records, filters=filters,
                           base=_base_url())
    return Response(body, mimetype="application/atom+xml")


def _download(chunks, mimetype: str, name: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/results.csv")
def export_csv():
    return _download(opendata.csv_lines(_filters(), _base_url()), "text/csv", "ket-qua.csv")


@bp.get("/results.json")
def export_json():
    return _download(opendata.json_chunks(_filters(), _base_url()), "application/json",
                     "ket-qua.json")
