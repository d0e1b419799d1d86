"""English is complete: every Vietnamese string has a translation that keeps its placeholders."""
import re

from babel.messages.pofile import read_po

from config.settings import ROOT

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_english_catalogue_is_complete_and_keeps_placeholders():
    with open(ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 100
    for message in messages:
        assert message.string, message.id
        assert not message.fuzzy, message.id
        assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string))
