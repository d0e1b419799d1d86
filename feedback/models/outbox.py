"""Outbound messages: one row a message, its delivery state kept apart from the case."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .case import Case
from .types import UTCDateTime, utcnow

SMS, EMAIL = "sms", "email"

QUEUED = "queued"
SENDING = "sending"      # claimed by a job; never sent twice
SENT = "sent"
DELIVERED = "delivered"
FAILED = "failed"
UNDELIVERED = "undelivered"
UNKNOWN = "unknown"      # the provider did not answer in time: no blind resend
BLOCKED = "blocked"      # the number opted out; not sent
# Twilio status callbacks may arrive out of order: never move back down this ladder.
RANK = {QUEUED: 0, SENDING: 1, UNKNOWN: 2, "accepted": 2, "queued-remote": 2, SENT: 3,
        DELIVERED: 4, UNDELIVERED: 4, FAILED: 4, BLOCKED: 4}


class OutboundMessage(db.Model):
    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_messages_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))     # received | routed | answered | digest…
    channel: Mapped[str] = mapped_column(String(10), default=SMS)
    to_number: Mapped[Optional[str]] = mapped_column(String(20), index=True)
    to_email: Mapped[Optional[str]] = mapped_column(String(254))
    subject: Mapped[Optional[str]] = mapped_column(String(200))
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))   # a staff recipient
    from_number: Mapped[Optional[str]] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    sender: Mapped[str] = mapped_column(String(20))      # twilio | smtp | log
    status: Mapped[str] = mapped_column(String(20), default=QUEUED)
    provider_sid: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    error_code: Mapped[Optional[str]] = mapped_column(String(20))
    error_message: Mapped[Optional[str]] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    case: Mapped[Optional[Case]] = relationship()
