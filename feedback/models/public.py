"""What the public may see of a case: one row written when it is published.

Every public page, feed, export and the voice status read this table, never
`cases` or `reporters`. Its columns are the whitelist: no name, phone, e-mail,
address or identity number can reach the public because there is nowhere to
put one. The reporter's own words are copied only with their consent.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import DDL, Boolean, Date, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .org import Category, Hotline, Procedure, Unit
from .types import UTCDateTime


class PublicRecord(db.Model):
    __tablename__ = "public_records"
    __table_args__ = (
        Index("ix_public_records_published", "published_at", "id"),
        Index("ix_public_records_unit_published", "unit_id", "published_at", "id"),
        Index("ix_public_records_ward_published", "ward_id", "published_at", "id"),
        Index("ix_public_records_category_published", "category_id", "published_at", "id"),
        # Open311 lists requests by when they were received.
        Index("ix_public_records_received", "received_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    reporter_type: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    hotline_id: Mapped[Optional[int]] = mapped_column(ForeignKey("hotlines.id"))
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id"))
    procedure_id: Mapped[Optional[int]] = mapped_column(ForeignKey("procedures.id"))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    ward_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_on: Mapped[Optional[date]] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)
    # Working days from receipt to the answer (the calendar of the organisation file).
    working_days: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    # The reporter's words, only when they agreed to publication (web form).
    description: Mapped[Optional[str]] = mapped_column(Text)
    # The dialogue session the question was asked for, if any.
    dialogue_id: Mapped[Optional[int]] = mapped_column(ForeignKey("dialogues.id"), index=True)
    # A sealed case's conclusion, published by the supervisor's decision.
    conclusion_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Summary, answer and description as folded words (services/public/search.py).
    search_text: Mapped[str] = mapped_column(Text, default="")

    category: Mapped[Optional[Category]] = relationship()
    procedure: Mapped[Optional[Procedure]] = relationship()
    unit: Mapped[Optional[Unit]] = relationship(foreign_keys=[unit_id])
    ward: Mapped[Optional[Unit]] = relationship(foreign_keys=[ward_id])
    hotline: Mapped[Optional[Hotline]] = relationship()


# The search indexes (services/public/search.py), created with the table and by
# migration 0004 on existing databases.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS public_records_fts USING fts5("
    "search_text, content='public_records', content_rowid='id')",
    "CREATE TRIGGER IF NOT EXISTS public_records_fts_insert AFTER INSERT ON public_records BEGIN "
    "INSERT INTO public_records_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS public_records_fts_delete AFTER DELETE ON public_records BEGIN "
    "INSERT INTO public_records_fts(public_records_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS public_records_fts_update AFTER UPDATE OF search_text "
    "ON public_records BEGIN "
    "INSERT INTO public_records_fts(public_records_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO public_records_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    # A table dropped and made again (tests) leaves the index behind: start it afresh.
    "INSERT INTO public_records_fts(public_records_fts) VALUES ('rebuild')",
]
# PostgreSQL keeps each record's words as a stored vector (computed from
# search_text by the server), with a GIN index on it: a record is then
# checked without parsing its text again (~40 µs a record), which is what
# lets a search with many matches walk the date index (search.planned).
# The vector also holds the record's category, unit and ward as words no text
# can make ("=c12", "=u3", "=w41": search.FILTER_WORDS), so that the GIN index
# answers a search within one of them by itself (migration 0013).
SEARCH_VECTOR = (
    "to_tsvector('simple', search_text) || array_to_tsvector(array_remove(ARRAY["
    "'=c' || category_id, '=u' || unit_id, '=w' || ward_id], NULL))")
POSTGRESQL_INDEX = [
    "ALTER TABLE public_records ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED",
    "CREATE INDEX IF NOT EXISTS ix_public_records_search ON public_records USING gin (search_vector)",
]
# Database objects that are not models: schema comparisons leave them out.
NOT_MODELS = ("public_records_fts", "ix_public_records_search", "search_vector")

for _dialect, _statements in (("sqlite", SQLITE_FTS), ("postgresql", POSTGRESQL_INDEX)):
    for _statement in _statements:
        event.listen(PublicRecord.__table__, "after_create",
                     DDL(_statement).execute_if(dialect=_dialect))
