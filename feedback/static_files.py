"""Static files under versioned URLs, kept by browsers for a year.

A page names its stylesheet as /static/css/site.css?v=<digest of the file>.
A browser keeps that answer (`immutable`) and asks again only when the file
changes, which changes the URL. Without it, every page asked again for its
stylesheet and script (a 304 each): one more round trip before a phone on a
slow network could draw the page.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _digest(path: Path, modified: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def version(folder: str, filename: str) -> str | None:
    """A short digest of the file's content, or None if it is not a file there.
    Read again when the file's modification time changes (a deployment)."""
    path = Path(folder, filename)
    try:
        return _digest(path, path.stat().st_mtime)
    except OSError:
        return None


def version_static_urls(app: Flask) -> None:
    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            values["v"] = version(app.static_folder, values.get("filename", ""))

    @app.after_request
    def keep_versioned(response: Response) -> Response:
        """Kept for a year when the URL names the file's current version (a 304
        too: a browser that asks again anyway, as for a favicon, learns it)."""
        if (request.endpoint == "static" and response.status_code in (200, 304)
                and request.args.get("v") == version(app.static_folder, request.view_args["filename"])):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
