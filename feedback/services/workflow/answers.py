"""Answers and their review, as steps of the lifecycle: drafted by the unit,
approved or sent back by the unit head, sent back or published by the city
office (concluded without publication on the sealed track).

An answer is never overwritten: each draft is a row, a sent-back one keeps the
reviewer's reason, and the text as published sits beside the original.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...domain import redaction, states
from ...domain.text import clean, clean_line
from ...extensions import db
from ...models import Answer, Case
from ...models import workflow as answer_states
from ..public import records, tally

if TYPE_CHECKING:
    from .lifecycle import Step

MAX_TEXT = 10_000
MIN_ANSWER = 20


def current_answer(case: Case) -> Answer | None:
    """The draft or approved answer under review, if any."""
    return db.session.scalars(
        select(Answer).where(Answer.case_id == case.id,
                             Answer.state.in_((answer_states.DRAFT, answer_states.APPROVED)))
        .order_by(Answer.id.desc())
    ).first()


def reporter_names(case: Case) -> list[str]:
    """The names that must not be published (the reporter's, their business's)."""
    reporter = case.reporter
    return [n for n in (reporter.name, reporter.business_name) if n] if reporter else []


def _too_short(step: Step) -> None:
    if len(step.given.public_text) < MIN_ANSWER:
        step.errors["public_text"] = _l(
            "Hãy viết trả lời cho người phản ánh (ít nhất %(n)d ký tự).", n=MIN_ANSWER)


def check_draft(step: Step) -> None:
    given = step.given
    given.public_text, given.resolution = clean(given.public_text), clean(given.resolution)
    given.summary = clean_line(given.summary)
    _too_short(step)
    for name in ("public_text", "resolution"):
        if len(getattr(given, name)) > MAX_TEXT:
            step.errors[name] = _l("Nội dung dài quá %(n)d ký tự.", n=MAX_TEXT)


def check_publication(step: Step) -> None:
    """The reviewer publishes a summary and an answer free of personal data
    (or says they checked what is highlighted); blank fields keep the draft's."""
    given, answer, case = step.given, current_answer(step.case), step.case
    given.summary = clean_line(given.summary or (answer.summary if answer else ""))
    given.public_text = clean(given.public_text or (answer.public_text if answer else ""))
    given.words = clean(given.words) if case.consent_publish and not case.confidential else ""
    if not given.summary:
        step.errors["summary"] = _l("Hãy viết tóm tắt công khai của phản ánh.")
    _too_short(step)
    names = reporter_names(case)
    if not given.checked and any(redaction.find(text, names) for text in
                                 (given.summary, given.public_text, given.words)):
        step.errors["checked"] = _l("Nội dung công bố còn thông tin cá nhân (được tô màu). "
                                    "Hãy xóa đi, hoặc đánh dấu đã kiểm tra.")


def draft(step: Step) -> None:
    """A new draft; one still waiting for approval is superseded by it."""
    previous = current_answer(step.case)
    if previous is not None:
        previous.state = answer_states.SUPERSEDED
    given = step.given
    db.session.add(Answer(case=step.case, author_id=step.actor.user_id, created_at=step.now,
                          public_text=given.public_text, resolution=given.resolution,
                          summary=given.summary))


def approve(step: Step) -> None:
    answer = current_answer(step.case)
    answer.state, answer.approved_at = answer_states.APPROVED, step.now
    answer.approved_by_id = step.actor.user_id


def send_back(step: Step) -> None:
    """Back to the unit; the city office's send-backs count in the scorecards."""
    if step.case.state == states.APPROVED:
        tally.sent_back(step.case, step.now)
    answer = current_answer(step.case)
    if answer is not None:
        answer.state, answer.review_reason = answer_states.SENT_BACK, step.given.reason
        answer.reviewed_at, answer.reviewed_by_id = step.now, step.actor.user_id
    step.detail = step.given.reason


def _give(step: Step, state: str) -> Answer:
    """The approved answer becomes the reporter's answer."""
    answer, case, given = current_answer(step.case), step.case, step.given
    answer.state, answer.reviewed_at, answer.reviewed_by_id = state, step.now, step.actor.user_id
    answer.published_text = given.public_text or answer.public_text
    answer.published_summary = given.summary or answer.summary
    answer.published_words = given.words or None
    case.answer, case.answered_at = answer.published_text, answer.created_at
    step.tell = "answered"
    return answer


def publish(step: Step) -> None:
    records.write(step.case, _give(step, answer_states.PUBLISHED), step.now)


def conclude(step: Step) -> None:
    """`close`: from "approved" (the sealed track) the answer goes to the
    reporter without publication; from elsewhere closing writes no answer."""
    if step.case.state == states.APPROVED:
        _give(step, answer_states.CONCLUDED)
