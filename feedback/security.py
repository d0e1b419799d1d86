"""Security headers on every response, the guard against open redirects, and
translations rendered as text."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from flask_babel.speaklater import LazyString

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Public pages that show a tracking code: whoever holds the code sees the case,
# so no browser or proxy may keep them. (Every staff page is kept by none.)
SHOWS_A_CODE = frozenset({"web.submitted", "web.track", "web.rate"})


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: no open redirects.

    Browsers read a backslash like a slash, so "/\\evil.example" is refused too.
    """
    target = (target or "").replace("\\", "/")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    if any(ord(ch) < 32 for ch in target):
        return None
    return target


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if request.path.startswith("/staff"):  # cases, contacts: never kept by a browser or proxy
            response.headers.setdefault("Cache-Control", "private, no-store")
        elif request.endpoint in SHOWS_A_CODE:
            response.headers["Cache-Control"] = "no-store"
        return response


def render_translations_unmarked(app: Flask) -> None:
    """Render every lazy translation as plain text, escaped like any other.

    Flask-Babel's lazy strings mark themselves safe (`__html__`), so one that
    carries user input, such as a file name in an error message, would be
    rendered as HTML. Jinja's `finalize` sees each value before escaping.
    """
    def unmarked(value):
        return str(value) if isinstance(value, LazyString) else value

    app.jinja_env.finalize = unmarked
