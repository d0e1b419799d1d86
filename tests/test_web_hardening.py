"""The public side, hardened: pages that show a tracking code are kept by no
browser or proxy; no translated string carries user input as HTML; uploads
are private on disk; Vietnamese unless the browser does not list it; a favicon.
"""
from __future__ import annotations

import io
import re
import stat
from pathlib import Path

import pytest

from tests.factories import make_case
from tests.domain.test_files import PNG
from tests.staff import signed_in_operator
from tests.staff.test_operator import CALL_FORM
from tests.web.test_submit import FORM, post


def test_the_page_that_gives_the_code_is_not_kept(client):
    assert post(client).status_code == 302
    done = client.get("/submit/done")
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"


def test_a_cases_tracking_page_is_not_kept(client):
    case = make_case()
    assert client.get(f"/track/{case.code}").headers["Cache-Control"] == "no-store"


def test_the_operators_logged_page_is_not_kept(client):
    signed_in_operator(client)
    response = client.post("/staff/operator/log", data={**CALL_FORM, "hotline": ""},
                           follow_redirects=True)
    assert response.status_code == 200 and "/staff/operator/logged/" in response.request.path
    assert response.headers["Cache-Control"] == "private, no-store"


def test_other_public_pages_may_be_kept(client):
    assert "Cache-Control" not in client.get("/").headers


@pytest.mark.parametrize("content", [b"not a picture", b""])
def test_a_file_name_in_an_error_is_text_not_html(client, content):
    """Flask-Babel's lazy strings mark themselves safe: a file named
    <b>x</b>.png was rendered in bold in the form's error message."""
    response = client.post("/submit", data={
        **FORM, "attachments": [(io.BytesIO(content), "<b>x</b>.png")]},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "&lt;b&gt;x&lt;/b&gt;.png" in page and "<b>x</b>" not in page


def test_uploads_are_private_to_the_services_user(app, client):
    Path(app.config["UPLOAD_DIR"]).mkdir(mode=0o755)  # as an older version left it
    response = client.post("/submit", data={**FORM, "attachments": [(io.BytesIO(PNG), "anh.png")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    root = Path(app.config["UPLOAD_DIR"])
    [upload] = [p for p in root.rglob("*") if p.is_file()]
    folders = [root / part for part in upload.relative_to(root).parents]  # YYYY/MM, YYYY, root
    assert stat.S_IMODE(upload.stat().st_mode) == 0o600
    assert [stat.S_IMODE(folder.stat().st_mode) for folder in folders] == [0o700] * 3


@pytest.mark.parametrize("accept,lang", [
    ("", "vi"),
    ("vi", "vi"),
    ("en-US,en;q=0.9,vi;q=0.8", "vi"),   # lists Vietnamese, even last
    ("en;q=1, vi-VN;q=0.1", "vi"),
    ("en-GB,en;q=0.9", "en"),             # does not list it at all
    ("en, vi;q=0", "en"),                 # q=0: not acceptable
    ("en, *;q=0.1", "en"),                # a wildcard lists nothing
    ("fr-FR,fr;q=0.9", "vi"),             # neither: the default
])
def test_vietnamese_unless_the_browser_does_not_list_it(client, accept, lang):
    page = client.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page


def test_a_language_chosen_on_the_site_wins(client):
    client.get("/lang/en")
    page = client.get("/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert '<html lang="en">' in page


@pytest.mark.parametrize("path", ["/", "/staff/login"])
def test_every_page_links_the_favicon_with_the_vt_mark(client, path):
    page = client.get(path).get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon.svg\?v=\w+" type="image/svg\+xml">', page)
    assert re.search(r'href="/static/favicon.ico\?v=\w+"', page)
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<title>VT</title>" in svg.data
    ico = client.get("/static/favicon.ico")
    assert ico.status_code == 200 and ico.data[:4] == b"\x00\x00\x01\x00"
