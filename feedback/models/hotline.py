"""The hotlines' traffic: inbound SMS, calls, recordings, the call-back list,
opt-outs, and the receipts that make every webhook idempotent."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .case import Case
from .org import Hotline
from .types import UTCDateTime, utcnow


class HotlineNumber(db.Model):
    """A number that identifies a hotline: the published number, and the Twilio
    or gateway numbers it is forwarded to. `sends` marks the number SMS go out from."""

    __tablename__ = "hotline_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    hotline_id: Mapped[int] = mapped_column(ForeignKey("hotlines.id"), index=True)
    e164: Mapped[str] = mapped_column(String(20), unique=True)
    sends: Mapped[bool] = mapped_column(Boolean, default=False)

    hotline: Mapped[Hotline] = relationship()


class WebhookReceipt(db.Model):
    """One row per delivery that must take effect once: inserting a duplicate key
    fails on the unique constraint, which is how redeliveries are recognised."""

    __tablename__ = "webhook_receipts"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))   # call-status, recording-status, sms-status
    key: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboundMessage(db.Model):
    """An SMS received by any provider, and the reply it was given."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("provider", "external_id"),
        Index("ix_inbound_messages_from_received", "from_number", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))        # twilio | gateway
    # MessageSid, or the gateway's id stored whole (hotline/params.py bounds it).
    external_id: Mapped[str] = mapped_column(String(200))
    from_number: Mapped[str] = mapped_column(String(32))
    to_number: Mapped[str] = mapped_column(String(32))
    hotline_id: Mapped[Optional[int]] = mapped_column(ForeignKey("hotlines.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    media: Mapped[str] = mapped_column(Text, default="[]")   # JSON list of {url, content_type}
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # new_case | added | status | rating | opt_out | opt_in | help | throttled
    outcome: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id"), index=True)
    reply: Mapped[str] = mapped_column(Text, default="")

    hotline: Mapped[Optional[Hotline]] = relationship()
    case: Mapped[Optional[Case]] = relationship()


class SmsOptOut(db.Model):
    """A number that said STOP/HUY: nothing is texted to it until it says BAT/START."""

    __tablename__ = "sms_opt_outs"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Call(db.Model):
    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_from_started", "from_number", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_number: Mapped[str] = mapped_column(String(32))
    to_number: Mapped[str] = mapped_column(String(32))
    hotline_id: Mapped[Optional[int]] = mapped_column(ForeignKey("hotlines.id"))
    status: Mapped[str] = mapped_column(String(20), default="ringing")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    duration: Mapped[Optional[int]] = mapped_column(Integer)
    # How far the caller got: menu | feedback | status | dialing | operator | voicemail
    choice: Mapped[Optional[str]] = mapped_column(String(20))
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id"))
    # What the caller said the feedback is about (Twilio's vi-VN speech
    # recognition), before recording it: the words the case is routed by.
    topic: Mapped[Optional[str]] = mapped_column(Text)
    handled_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    hotline: Mapped[Optional[Hotline]] = relationship()
    case: Mapped[Optional[Case]] = relationship()
    recordings: Mapped[list["Recording"]] = relationship(back_populates="call")
    # The call's place on the call-back list, if it had one (one per call).
    callback_item: Mapped[Optional["CallbackItem"]] = relationship(uselist=False, viewonly=True)


class Recording(db.Model):
    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    duration: Mapped[Optional[int]] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(20))          # feedback | voicemail
    status: Mapped[str] = mapped_column(String(20), default="completed")
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    call: Mapped[Call] = relationship(back_populates="recordings")
    case: Mapped[Optional[Case]] = relationship()


class CallbackItem(db.Model):
    """A missed or abandoned call, or a voicemail: an operator must call back."""

    __tablename__ = "callback_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)
    phone: Mapped[str] = mapped_column(String(32), index=True)
    reason: Mapped[str] = mapped_column(String(20))           # missed | abandoned | voicemail
    recording_id: Mapped[Optional[int]] = mapped_column(ForeignKey("recordings.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    done_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    note: Mapped[Optional[str]] = mapped_column(Text)

    call: Mapped[Call] = relationship()
    recording: Mapped[Optional[Recording]] = relationship()
