"""The public record of a case: written here, and only here, when a case is
published, from the reviewed answer. Public pages read nothing else.

The row copies what may be shown and nothing more; the reporter's own words
only with their consent, and never for a sealed case, whose published
conclusion stands alone.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ...domain.calendar import local_date
from ...extensions import db
from ...models import Answer, Case, PublicRecord
from .. import deadlines
from . import tally
from .search import search_text


def on_time(case: Case, answered_at: datetime) -> bool:
    """Answered by the legal deadline (local date), whatever was promised later."""
    return case.due_on is None or local_date(answered_at) <= case.due_on


def write(case: Case, answer: Answer, now: datetime) -> PublicRecord:
    """Create or replace the case's public record, and count the answer in the
    scorecards (no commit)."""
    record = db.session.scalars(
        select(PublicRecord).where(PublicRecord.case_id == case.id)
    ).first() or PublicRecord(case_id=case.id)
    words = None if case.confidential else answer.published_words
    days = deadlines.work_calendar().working_days_between(local_date(case.received_at),
                                                           local_date(answer.created_at))
    values = dict(
        code=case.code, kind=case.kind, reporter_type=case.reporter_type, channel=case.channel,
        hotline_id=case.hotline_id, category_id=case.category_id,
        procedure_id=case.procedure_id, unit_id=case.unit_id, ward_id=case.ward_id,
        received_at=case.received_at, answered_at=answer.created_at, published_at=now,
        due_on=case.due_on, on_time=on_time(case, answer.created_at), working_days=days,
        summary=answer.published_summary or "", answer=answer.published_text or "",
        description=words or None, conclusion_only=case.confidential,
        dialogue_id=case.dialogue_id,
        search_text=search_text(answer.published_summary, answer.published_text, words),
    )
    first = record.id is None
    for name, value in values.items():
        setattr(record, name, value)
    db.session.add(record)
    if first:  # a case published again after reopening is not answered twice
        tally.answered(case, now, days, values["on_time"])
    return record
