"""Text no page can take: refused before any view sees it.

PostgreSQL refuses a NUL byte in any text it is given, so a `%00` in a search
box, a filter or a form field would reach the database and fail there (500).
No field anywhere has a use for it: every request that carries one, in the
path, the query string or a form field, is a 400 at the door. (Lone
surrogates cannot arrive this way: Werkzeug keeps invalid UTF-8 percent-escaped;
JSON bodies are checked field by field where they are read.)
"""
from __future__ import annotations

from flask import Flask, abort, request


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def register_input_guard(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes():
        form = request.form if request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data") else {}
        for values in (request.args, form):
            if _has_nul(values.keys()) or _has_nul(v for key in values for v in values.getlist(key)):
                abort(400, description="NUL is not allowed in a request.")
        if _has_nul((request.view_args or {}).values()):
            abort(400, description="NUL is not allowed in a request.")
