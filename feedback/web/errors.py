"""Error pages that look like the rest of the site (or of the staff pages), in
the visitor's language."""
from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Staff pages get the staff layout, with a way back to their home."""
        if request.path.startswith("/open311/v2/") and request.path != "/open311/v2/":
            from ..open311.views import http_error as api_error

            return api_error(error)
        staff = request.path.startswith("/staff")
        template = "staff/error.html" if staff else "errors/error.html"
        return render_template(template, error=error), error.code
