"""Typed SQLAlchemy 2 models, split by aggregate. Models never commit."""
from .case import Attachment, Case, CaseEvent, Reporter
from .org import (
    CalendarDay, Category, Hotline, KeywordRule, LegalKind, OrgSetting, Procedure, Unit,
)

__all__ = [
    "Attachment", "CalendarDay", "Case", "CaseEvent", "Category", "Hotline", "KeywordRule",
    "LegalKind", "OrgSetting", "Procedure", "Reporter", "Unit",
]
