"""Security headers on every response, and the guard against open redirects."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


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
        return response
