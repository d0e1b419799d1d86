"""Rate-limit counters kept in the database, so that every worker process
counts in the same place (feedback/ratelimit.py)."""
from __future__ import annotations

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class RateLimitCounter(db.Model):
    """One fixed window of one limit for one client: how many hits, and when
    the window ends (seconds since the epoch, as the `limits` library counts)."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_rate_limits_expires_at", "expires_at"),)
