"""Search of published results that understands unaccented Vietnamese.

Texts are stored folded (no accents, đ -> d, lower case) as words of [a-z0-9]
separated by single spaces, so that both databases tokenise them the same
way. A query matches a record when every word of the query is a word of the
record, in any order, and its last word may be the start of one (it may be
still being typed): "dang ky ho kinh doanh" and "kinh doanh ho dang k" find
"Đăng ký hộ kinh doanh". SQLite answers from an FTS5 index, PostgreSQL from a
GIN index on the stored 'simple' text-search vector (models/public.py); the
results are the same.

Only the last word is a prefix: at a million records a prefix costs ~4× a
whole word ("ky*" is every word that starts with "ky").

On PostgreSQL a record's vector also holds its category, unit and ward as
words no text can make (FILTER_WORDS, models/public.py), so that a search
within one of them is answered by the GIN index alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import cast, column, func, literal, literal_column, select, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import ColumnElement

from ...domain.text import fold
from ...extensions import db
from ...models import PublicRecord

MAX_WORDS = 8
_WORD = re.compile(r"[a-z0-9]+")
# The filters' words in PostgreSQL's vector, before the id: "=c12" (models/public.py).
FILTER_WORDS = {"category": "=c", "unit": "=u", "ward": "=w"}


def words(value: str | None) -> list[str]:
    """The folded words of a text, as they are stored and searched."""
    return _WORD.findall(fold(value))


def search_text(*parts: str | None) -> str:
    return " ".join(word for part in parts for word in words(part))


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _terms(found: list[str], prefix_mark: str) -> list[str]:
    """The words as the database's query syntax has them: whole, the last one
    also as a prefix (`*` for FTS5, `:*` for PostgreSQL)."""
    return [*found[:-1], found[-1] + prefix_mark]


def _fts(found: list[str], limit: int = -1):
    """The ids of the records matching the words, from SQLite's FTS5 index
    (the first `limit` of them; -1: all)."""
    fts = text("SELECT rowid FROM public_records_fts WHERE public_records_fts MATCH :q LIMIT :limit")
    return fts.bindparams(q=" ".join(_terms(found, "*")), limit=limit).columns(column("rowid"))


def _condition(found: list[str], many: bool = False, within: dict | None = None) -> ColumnElement[bool]:
    if _postgresql():
        query = func.to_tsquery("simple", " & ".join(_terms(found, ":*")))
        for name, id_ in (within or {}).items():
            if name in FILTER_WORDS:    # an unknown code's id is NULL: nothing matches
                query = query.op("&&")(cast(literal(FILTER_WORDS[name]).concat(id_), TSQUERY))
        return literal_column("public_records.search_vector").op("@@")(query)
    return ((PublicRecord.id + 0) if many else PublicRecord.id).in_(_fts(found))


def checked_within() -> tuple[str, ...]:
    """The filters a search's condition checks by itself (see matches)."""
    return tuple(FILTER_WORDS) if _postgresql() else ()


def matches(query: str, many: bool = False, within: dict | None = None) -> ColumnElement[bool] | None:
    """A condition on PublicRecord for the query, or None when it has no word.

    `within`: the ids (values or scalar subqueries) of what the caller also
    filters on, by filter name; on PostgreSQL the search asks for the
    category, unit and ward among the record's words too.

    `many`: the caller knows the query matches many records. SQLite then walks
    the listing's date index and keeps the matching ones (21 of 10,000 matches
    at a million records: ~1,500 index entries), instead of fetching every
    matching record to sort them (~30 ms); `id + 0` keeps its planner from
    looking the matches up by id. With few matches that walk would read the
    whole index, so it is only asked for when the count is known. On
    PostgreSQL the listing is run inside planned() to the same end."""
    found = words(query)[:MAX_WORDS]
    return _condition(found, many, within) if found else None


# What PostgreSQL's planner is told not to use for a search's listing, once
# the count says whether the query matches many records or few.
_NOT_FOR_MANY = ("enable_bitmapscan", "enable_seqscan", "jit")
_NOT_FOR_FEW = ("enable_indexscan",)


@contextmanager
def planned(many: bool) -> Iterator[None]:
    """Around the listing of a search, on PostgreSQL, once its count is known.

    The planner cannot know: it guesses that common words together match few
    records (it multiplies their frequencies), and that an unknown word
    matches a thousand. With many matches (`many`), fetching and sorting them
    all costs ~50 ms for 10,000 at a million records; walking the listing's
    date index and checking each record's stored vector until the page is
    full costs ~10 ms (JIT compiling would cost more than that walk). With
    few, the walk would read the whole index to find them (1.7 s for none),
    and the GIN index finds them at once. The settings are the transaction's
    (SET LOCAL): put back once the listing has run, or undone with the
    transaction when it fails."""
    if not _postgresql():
        yield
        return
    names = ", ".join(f"'{name}'" for name in (_NOT_FOR_MANY if many else _NOT_FOR_FEW))
    db.session.execute(text(f"SELECT set_config(name, 'off', true) FROM pg_settings WHERE name IN ({names})"))
    yield
    db.session.execute(text(f"SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name IN ({names})"))


def count(query: str, cap: int) -> int:
    """The records matching the query, and nothing else, counted up to cap + 1
    (on SQLite from the FTS5 index alone)."""
    found = words(query)[:MAX_WORDS]
    if not found:
        return 0
    if _postgresql():
        matching = select(PublicRecord.id).where(_condition(found)).limit(cap + 1).subquery()
    else:
        matching = _fts(found, cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(matching)) or 0
