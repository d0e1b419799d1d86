"""The organisation: units, hotlines, legal kinds, categories, procedures, keyword rules.

All of it is loaded from a data file (services/orgdata.py) and matched by `code`,
so a reload updates names and rules without touching cases.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

WARD_KINDS = ("ward", "commune")


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    short_vi: Mapped[Optional[str]] = mapped_column(String(120))
    gso_code: Mapped[Optional[str]] = mapped_column(String(10))
    is_triage: Mapped[bool] = mapped_column(Boolean, default=False)
    handles_conduct: Mapped[bool] = mapped_column(Boolean, default=False)
    sort: Mapped[int] = mapped_column(Integer, default=0)
    valid_from: Mapped[Optional[date]] = mapped_column(Date)
    retired_on: Mapped[Optional[date]] = mapped_column(Date)
    successor_code: Mapped[Optional[str]] = mapped_column(String(40))

    @property
    def is_ward(self) -> bool:
        return self.kind in WARD_KINDS

    def active_on(self, day: date) -> bool:
        started = self.valid_from is None or self.valid_from <= day
        return started and (self.retired_on is None or day < self.retired_on)


class Hotline(db.Model):
    __tablename__ = "hotlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    audience: Mapped[str] = mapped_column(String(20))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    display: Mapped[str] = mapped_column(String(30))
    e164: Mapped[str] = mapped_column(String(20), unique=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class LegalKind(db.Model):
    """A legal kind of submission and its clock (days counted per `day_basis`)."""

    __tablename__ = "legal_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_vi: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    basis: Mapped[Optional[str]] = mapped_column(Text)
    default_unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    day_basis: Mapped[str] = mapped_column(String(10), default="working")
    accept_days: Mapped[int] = mapped_column(Integer, default=0)
    resolve_days: Mapped[int] = mapped_column(Integer)
    resolve_days_complex: Mapped[Optional[int]] = mapped_column(Integer)
    forward_days: Mapped[Optional[int]] = mapped_column(Integer)
    sort: Mapped[int] = mapped_column(Integer, default=0)

    default_unit: Mapped[Optional[Unit]] = relationship()


class Category(db.Model):
    """A field of administrative procedures, and where its cases go."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    default_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    ward_first: Mapped[bool] = mapped_column(Boolean, default=False)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_kind_code: Mapped[Optional[str]] = mapped_column(String(20))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    default_unit: Mapped[Unit] = relationship()
    procedures: Mapped[list["Procedure"]] = relationship(
        back_populates="category", order_by="Procedure.sort"
    )


class Procedure(db.Model):
    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    category: Mapped[Category] = relationship(back_populates="procedures")


class KeywordRule(db.Model):
    """Fallback routing: a folded keyword found in the text picks a category.

    `conduct` rules mark complaints about officials' conduct; they win over any
    category the reporter chose.
    """

    __tablename__ = "keyword_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    keyword: Mapped[str] = mapped_column(String(80), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    conduct: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=0)

    category: Mapped[Category] = relationship()


class CalendarDay(db.Model):
    """A day the government moved: an extra day off, or a weekend day worked."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)


class OrgSetting(db.Model):
    """Small settings from the organisation file (office hours…), as JSON text."""

    __tablename__ = "org_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
