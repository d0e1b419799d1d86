"""Dialogue sessions (đối thoại) between unit heads and citizens and businesses
about administrative procedures. Questions sent online become cases of
channel `dialogue`; the registrations' contact details are private, like a
case's reporter."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .case import Case
from .org import Procedure, Unit
from .types import UTCDateTime, utcnow

ANNOUNCED, PUBLISHED = "announced", "published"

dialogue_procedures = Table(
    "dialogue_procedures", db.metadata,
    Column("dialogue_id", ForeignKey("dialogues.id"), primary_key=True),
    Column("procedure_id", ForeignKey("procedures.id"), primary_key=True),
)


class Dialogue(db.Model):
    __tablename__ = "dialogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(20), default=ANNOUNCED)
    # What was said and decided, published after the session.
    outcome: Mapped[Optional[str]] = mapped_column(Text)
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    procedures: Mapped[list[Procedure]] = relationship(secondary=dialogue_procedures,
                                                       order_by="Procedure.sort")


class DialogueRegistration(db.Model):
    """Who will attend and how to reach them: private, never on a public page."""

    __tablename__ = "dialogue_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(20))
    email: Mapped[Optional[str]] = mapped_column(String(254))
    reporter_type: Mapped[str] = mapped_column(String(20), default="citizen")
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dialogue: Mapped[Dialogue] = relationship()
    case: Mapped[Optional["Case"]] = relationship()

