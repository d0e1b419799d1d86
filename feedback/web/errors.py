"""Error pages that look like the rest of the site, in the visitor's language."""
from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_template("errors/error.html", error=error), error.code
