"""Twilio webhook authentication.

Twilio signs the URL it called plus the POST parameters. Behind a proxy, and
because Werkzeug's `request.url` decodes non-ASCII query text, the URL is
rebuilt from the configured PUBLIC_BASE_URL, the path and the raw query string.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator


def public_url() -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    path = quote(request.script_root + request.path, safe="/%:@!$&'()*+,;=-._~")
    query = request.query_string.decode("latin-1")
    return f"{base}{path}?{query}" if query else f"{base}{path}"


def signature_valid() -> bool:
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    # request.form is a MultiDict: every value of a repeated field is signed.
    return RequestValidator(token).validate(public_url(), request.form, signature)


def twilio_signed(view):
    """Refuse (403) any request not signed by Twilio with our auth token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not signature_valid():
            current_app.logger.warning("refused unsigned Twilio webhook %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return wrapper
