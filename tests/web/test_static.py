"""Static files under versioned URLs (feedback/static_files.py): a browser keeps
them for a year and asks again only when a file changes, which changes its URL."""
import os
import re

from flask import url_for

from feedback.static_files import version

VERSIONED = re.compile(r'href="(/static/css/site\.css\?v=([0-9a-f]{12}))"')


def test_pages_name_their_stylesheet_by_version_and_it_is_kept_a_year(client):
    for page in ("/", "/submit", "/staff/login"):
        url, _ = VERSIONED.search(client.get(page).get_data(as_text=True)).groups()
        kept = client.get(url)
        assert kept.status_code == 200
        assert kept.cache_control.max_age == 365 * 24 * 3600
        assert kept.cache_control.immutable and kept.cache_control.public
        assert not kept.cache_control.no_cache
        again = client.get(url, headers={"If-None-Match": kept.headers["ETag"]})
        assert again.status_code == 304 and again.cache_control.immutable


def test_a_url_without_the_current_version_is_asked_again_each_time(client):
    for url in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer.cache_control.no_cache and not answer.cache_control.immutable


def test_the_version_follows_the_content(tmp_path):
    (tmp_path / "a.css").write_text("body { color: black }")
    before = version(str(tmp_path), "a.css")
    (tmp_path / "a.css").write_text("body { color: navy }")
    os.utime(tmp_path / "a.css", (1, 1))    # a deployment: another modification time
    assert version(str(tmp_path), "a.css") not in (before, None)
    assert version(str(tmp_path), "missing.css") is None


def test_a_missing_file_gets_a_plain_url(app):
    with app.test_request_context():
        assert url_for("static", filename="nothing-here.css") == "/static/nothing-here.css"
