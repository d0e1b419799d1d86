"""Aggregates for the units' scorecards, kept up to date in the same
transaction as the change they count, by day and by month, so a year's
figures at a million cases are a sum over a few thousand rows. `flask --app app stats rebuild` recomputes
them from the cases (after bulk demo data, or to check them).

Sealed cases are not counted: the sealed track is supervised on its own.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class _Counts:
    received: Mapped[int] = mapped_column(Integer, default=0)      # by receipt day, current unit
    answered: Mapped[int] = mapped_column(Integer, default=0)      # by answer day
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    sent_back: Mapped[int] = mapped_column(Integer, default=0)     # by the city office's review
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)


class DailyStat(_Counts, db.Model):
    """Counts for one local day, unit, channel and hotline (0: no hotline)."""

    __tablename__ = "daily_stats"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    hotline_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)


class MonthlyStat(_Counts, db.Model):
    """The same counts for a whole month (`month` is its first day): a year is
    summed from twelve months' rows, not from 365 days'."""

    __tablename__ = "monthly_stats"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    hotline_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)


class AnswerDays(db.Model):
    """How many answers of a unit, given on a day, took so many working days:
    the distribution the median is read from."""

    __tablename__ = "answer_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    working_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class AnswerMonths(db.Model):
    """The same distribution for a whole month (`month` is its first day)."""

    __tablename__ = "answer_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    working_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
