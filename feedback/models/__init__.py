"""Typed SQLAlchemy 2 models, split by aggregate. Models never commit."""
from .api import ApiClient
from .case import Attachment, Case, CaseEvent, Reporter
from .dialogue import Dialogue, DialogueRegistration
from .hotline import (
    Call, CallbackItem, HotlineNumber, InboundMessage, Recording, SmsOptOut, WebhookReceipt,
)
from .limits import RateLimitCounter
from .org import (
    CalendarDay, Category, Hotline, KeywordRule, LegalKind, OrgSetting, Procedure, Unit,
)
from .outbox import OutboundMessage
from .public import PublicRecord
from .staff import User
from .stats import AnswerDays, AnswerMonths, DailyStat, MonthlyStat
from .workflow import Answer, AuditEntry, DeadlineAlert, Rating

__all__ = [
    "Answer", "AnswerDays", "AnswerMonths", "ApiClient", "AuditEntry", "DailyStat", "DeadlineAlert",
    "MonthlyStat", "PublicRecord", "Rating",
    "Attachment", "CalendarDay", "Dialogue", "DialogueRegistration", "Call", "CallbackItem", "Case",
    "CaseEvent", "Category",
    "Hotline", "HotlineNumber", "InboundMessage", "KeywordRule", "LegalKind", "OrgSetting",
    "OutboundMessage", "Procedure", "RateLimitCounter", "Recording", "Reporter", "SmsOptOut",
    "Unit", "User", "WebhookReceipt",
]
