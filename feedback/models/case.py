"""The case aggregate: the case, its private reporter, its timeline and its files."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from ..domain import states
from ..extensions import db
from .org import Category, Hotline, Procedure, Unit
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .api import ApiClient
    from .dialogue import Dialogue


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_state_received", "state", "received_at"),
        # Inboxes list a unit's cases, or every ordinary or sealed case, one state
        # at a time by deadline (keyset; services/workflow/inbox.py), and count them
        # from the index alone.
        Index("ix_cases_unit_inbox", "unit_id", "confidential", "state", "due_on", "id"),
        Index("ix_cases_inbox", "confidential", "state", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    reporter_type: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    hotline_id: Mapped[Optional[int]] = mapped_column(ForeignKey("hotlines.id"))
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id"))
    procedure_id: Mapped[Optional[int]] = mapped_column(ForeignKey("procedures.id"))
    ward_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    state: Mapped[str] = mapped_column(String(20), default=states.NEW)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text)
    consent_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Deadlines are local calendar dates (Asia/Ho_Chi_Minh): due by the end of that day.
    accept_due_on: Mapped[Optional[date]] = mapped_column(Date)
    due_on: Mapped[Optional[date]] = mapped_column(Date, index=True)
    # A date the unit committed to in a progress note, when it will be late.
    committed_on: Mapped[Optional[date]] = mapped_column(Date)
    # The answer the reporter sees, set when it is published or concluded.
    answer: Mapped[Optional[str]] = mapped_column(Text)
    answered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    merged_into_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id"))
    handover_ref: Mapped[Optional[str]] = mapped_column(String(200))
    # A question sent for a dialogue session (channel "dialogue").
    dialogue_id: Mapped[Optional[int]] = mapped_column(ForeignKey("dialogues.id"), index=True)
    # Filed through the Open311 API by this client (channel "api").
    api_client_id: Mapped[Optional[int]] = mapped_column(ForeignKey("api_clients.id"))
    # Where the problem is, when a client sends it. Private like the reporter:
    # an address or a point may be someone's home.
    address: Mapped[Optional[str]] = mapped_column(String(300))
    latitude: Mapped[Optional[float]] = mapped_column(Float)
    longitude: Mapped[Optional[float]] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: an UPDATE of a case that changed since it was read
    # matches no row, so two people acting at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)

    hotline: Mapped[Optional[Hotline]] = relationship()
    category: Mapped[Optional[Category]] = relationship()
    procedure: Mapped[Optional[Procedure]] = relationship()
    ward: Mapped[Optional[Unit]] = relationship(foreign_keys=[ward_id])
    unit: Mapped[Optional[Unit]] = relationship(foreign_keys=[unit_id])
    reporter: Mapped["Reporter"] = relationship(
        back_populates="case", uselist=False, cascade="all, delete-orphan"
    )
    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="case", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    merged_into: Mapped[Optional["Case"]] = relationship(remote_side=[id])
    dialogue: Mapped[Optional["Dialogue"]] = relationship()
    api_client: Mapped[Optional["ApiClient"]] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.state in states.OPEN_STATES

    @property
    def answer_visible(self) -> bool:
        return self.state in states.ANSWER_VISIBLE_STATES and bool(self.answer)

    @property
    def sealed(self) -> bool:
        """On the sealed track: denunciations and complaints about officials' conduct."""
        return self.confidential

    def add_event(self, event: CaseEvent) -> None:
        """A step for the timeline of a case already stored, without reading the
        earlier ones: appending to `events` would load them all first."""
        event.case = self
        session = object_session(self)
        if session is not None:
            session.add(event)


class Reporter(db.Model):
    """Who sent the case and how to answer them. Private: never on a public page.

    Kept in its own table so that public queries and serialisers never load it by
    accident.
    """

    __tablename__ = "reporters"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(20), index=True)  # E.164
    email: Mapped[Optional[str]] = mapped_column(String(254))
    business_name: Mapped[Optional[str]] = mapped_column(String(300))
    tax_code: Mapped[Optional[str]] = mapped_column(String(14))

    case: Mapped[Case] = relationship(back_populates="reporter")


class CaseEvent(db.Model):
    """One entry of a case's timeline: who did what, when and why."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))   # citizen | system | operator | officer…
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[Optional[str]] = mapped_column(String(20))
    to_state: Mapped[Optional[str]] = mapped_column(String(20))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    reason: Mapped[Optional[str]] = mapped_column(String(40))
    detail: Mapped[Optional[str]] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[Case] = relationship(back_populates="events")
    unit: Mapped[Optional[Unit]] = relationship()


class Attachment(db.Model):
    """A file sent with a case, stored outside the web root and never served publicly."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="attachments")
