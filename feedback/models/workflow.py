"""The units' workflow: answers kept as rows, satisfaction ratings, deadline
alerts sent once, and the append-only audit log."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import (
    DDL, Date, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .case import Case
from .staff import User
from .types import UTCDateTime, utcnow

# Answer states: a draft is approved by the unit head, then published (or, on
# the sealed track, concluded) by the reviewer; a sent-back draft keeps the
# reviewer's reason; a draft replaced by a newer one is superseded.
DRAFT, APPROVED, SENT_BACK, PUBLISHED, CONCLUDED, SUPERSEDED = (
    "draft", "approved", "sent_back", "published", "concluded", "superseded")


class Answer(db.Model):
    """One version of a case's answer. Never overwritten: each draft is a row,
    and the reviewer's edit of the public text sits beside the original."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=DRAFT)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))  # None: demo data
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the unit found and did (internal), and the answer to the reporter.
    resolution: Mapped[str] = mapped_column(Text, default="")
    public_text: Mapped[str] = mapped_column(Text)
    # A one-line public summary of the matter, without personal details.
    summary: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    review_reason: Mapped[Optional[str]] = mapped_column(Text)
    # The texts as the reviewer published them (the originals above stay).
    published_text: Mapped[Optional[str]] = mapped_column(Text)
    published_summary: Mapped[Optional[str]] = mapped_column(Text)
    # The reporter's words as published (only with their consent, after review).
    published_words: Mapped[Optional[str]] = mapped_column(Text)

    case: Mapped[Case] = relationship()
    author: Mapped[Optional[User]] = relationship(foreign_keys=[author_id])
    approved_by: Mapped[Optional[User]] = relationship(foreign_keys=[approved_by_id])
    reviewed_by: Mapped[Optional[User]] = relationship(foreign_keys=[reviewed_by_id])


class Rating(db.Model):
    """The reporter's satisfaction with the answer, 1 to 5, once per case."""

    __tablename__ = "ratings"
    # The city office's queue: low scores not yet followed up.
    __table_args__ = (Index("ix_ratings_follow_up", "followed_up_at", "score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    channel: Mapped[str] = mapped_column(String(20))       # sms | web
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A low score waits in the city office's queue until someone decides.
    followed_up_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    followed_up_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()


class DeadlineAlert(db.Model):
    """A reminder or an escalation about one deadline of one case, sent once:
    the unique key makes `jobs run-due` safe to run twice or on two hosts."""

    __tablename__ = "deadline_alerts"
    __table_args__ = (UniqueConstraint("case_id", "stage", "level", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))     # forward | accept | resolve
    level: Mapped[str] = mapped_column(String(20))     # soon | overdue
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()


class AuditEntry(db.Model):
    """Who did what, when, from where. Rows are only ever inserted: the
    database itself refuses UPDATE and DELETE (triggers below)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_action_at", "action", "at"),
        Index("ix_audit_log_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(254))     # the e-mail, as typed for a failed sign-in
    role: Mapped[Optional[str]] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id"), index=True)
    target: Mapped[Optional[str]] = mapped_column(String(200))
    address: Mapped[Optional[str]] = mapped_column(String(64))
    detail: Mapped[Optional[str]] = mapped_column(Text)

    case: Mapped[Optional[Case]] = relationship()


# Used by the model (create_all) and by migration 0003.
APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ],
}
for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _statement in _statements:
        event.listen(AuditEntry.__table__, "after_create",
                     DDL(_statement).execute_if(dialect=_dialect))
