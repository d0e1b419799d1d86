"""Search of published results that understands unaccented Vietnamese.

Texts are stored folded (no accents, đ -> d, lower case) as words of [a-z0-9]
separated by single spaces, so that both databases tokenise them the same
way. A query matches a record when every word of the query starts a word of
the record, in any order: "dang ky ho kinh doanh" finds "Đăng ký hộ kinh
doanh". SQLite answers from an FTS5 index, PostgreSQL from a GIN index on the
'simple' text-search vector; the results are the same.
"""
from __future__ import annotations

import re

from sqlalchemy import column, func, text
from sqlalchemy.sql import ColumnElement

from ...domain.text import fold
from ...extensions import db
from ...models import PublicRecord

MAX_WORDS = 8
_WORD = re.compile(r"[a-z0-9]+")


def words(value: str | None) -> list[str]:
    """The folded words of a text, as they are stored and searched."""
    return _WORD.findall(fold(value))


def search_text(*parts: str | None) -> str:
    return " ".join(word for part in parts for word in words(part))


def matches(query: str) -> ColumnElement[bool] | None:
    """A condition on PublicRecord for the query, or None when it has no word."""
    found = words(query)[:MAX_WORDS]
    if not found:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in found)
        return func.to_tsvector("simple", PublicRecord.search_text).op("@@")(
            func.to_tsquery("simple", tsquery))
    fts = text("SELECT rowid FROM public_records_fts WHERE public_records_fts MATCH :q")
    return PublicRecord.id.in_(
        fts.bindparams(q=" ".join(f"{word}*" for word in found)).columns(column("rowid")))
