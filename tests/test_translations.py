"""English is complete: every Vietnamese string has a translation that keeps its placeholders."""
import re
from datetime import datetime, timezone

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale, format_datetime

from config.settings import ROOT
import feedback.i18n
from feedback.i18n import local_date_short, local_datetime

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_english_catalogue_is_complete_and_keeps_placeholders():
    with open(ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 100
    for message in messages:
        assert not message.fuzzy, message.id
        # A plural entry has a tuple of forms on each side; each form must be there.
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            assert form, message.id
            assert sorted(PLACEHOLDER.findall(sources[-1])) == sorted(PLACEHOLDER.findall(form))


def test_every_string_in_the_code_is_in_the_english_catalogue():
    """A string added without `make messages` and a translation would show
    Vietnamese on an English page."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    with open(ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    missing = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map, keywords):
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        if entry is None or not entry.string:
            missing.add(key)
    assert sorted(missing) == []


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("moment", [
    datetime(2026, 11, 28, 16, 59, tzinfo=timezone.utc),   # 23:59 in the city
    datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc),    # 00:00 the next day
    datetime(2026, 11, 28, 17, 0),                          # naive: UTC, as stored
])
def test_short_dates_and_times_read_as_babel_writes_them(app, language, moment):
    """Digits only, so formatted without the locale: the same as Babel in the city's time."""
    with app.test_request_context("/", headers={"Accept-Language": language}):
        assert local_date_short(moment) == format_datetime(moment, "dd/MM/yyyy")
        assert local_datetime(moment) == format_datetime(moment, "HH:mm dd/MM/yyyy")
    assert local_date_short(moment) in ("28/11/2026", "29/11/2026")


TEMPLATE = ('{{ _("Đăng nhập") }}|{{ _("Tệp “%(name)s” rỗng.", name="<b>a.png</b>") }}|'
            '{{ ngettext("%(num)s phản ánh", "%(num)s phản ánh", 2, num="1.500") }}|'
            '{% trans %}Đăng nhập{% endtrans %}')


@pytest.mark.parametrize("language,expected", [
    ("vi", "Đăng nhập|Tệp “&lt;b&gt;a.png&lt;/b&gt;” rỗng.|1.500 phản ánh|Đăng nhập"),
    ("en", "Sign in|The file “&lt;b&gt;a.png&lt;/b&gt;” is empty.|1.500 cases|Sign in"),
])
def test_a_template_reads_the_catalogue_once_and_escapes_and_formats_as_jinja_does(
        app, monkeypatch, language, expected):
    """A render looks the catalogue up once (each string used to, ~28 µs);
    the values are escaped, the count is the plural's and `num` its text."""
    lookups = []
    real = feedback.i18n.get_translations

    def counted():
        lookups.append(1)
        return real()

    monkeypatch.setattr(feedback.i18n, "get_translations", counted)
    with app.test_request_context("/"), force_locale(language):
        assert render_template_string(TEMPLATE) == expected
    assert len(lookups) == 1
