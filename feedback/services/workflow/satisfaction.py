"""The reporter's satisfaction with the answer: a score of 1 to 5, once per
case, within RATING_DAYS of the answer, by an SMS reply to the hotline or the
form on the tracking page. A score of 1 or 2 puts the case in the city office's
queue (the supervisor's, for a sealed case) to decide whether to reopen it."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...domain import states
from ...extensions import db
from ...models import Case, CaseEvent, OutboundMessage, Rating
from ...models.types import utcnow
from ..errors import CONFLICT, Rejected
from ..public import tally
from . import audit
from .access import Actor

LOW = 2  # this score or lower asks the city office to look again


def window() -> timedelta:
    return timedelta(days=current_app.config["RATING_DAYS"])


def can_rate(case, now: datetime | None = None) -> bool:
    """The answer has been given, recently enough, and not yet rated (`case`: a
    Case or its public status)."""
    now = now or utcnow()
    return (case.state in states.ANSWER_VISIBLE_STATES and case.answer is not None
            and _answer_given_at(case) is not None and now - _answer_given_at(case) <= window()
            and db.session.scalars(select(Rating.id).filter_by(case_id=case.id)).first() is None)


def _answer_given_at(case) -> datetime | None:
    """When the reporter was given the answer: its publication or conclusion."""
    return db.session.scalars(
        select(CaseEvent.at).where(CaseEvent.case_id == case.id,
                                   CaseEvent.action.in_(("publish", "close")),
                                   CaseEvent.from_state == states.APPROVED)
        .order_by(CaseEvent.id.desc())
    ).first()


def rate(case: Case, score: int, channel: str, now: datetime | None = None) -> Rating:
    """Record the score (no commit: SMS intake and the web view own theirs)."""
    if score not in range(1, 6):
        raise Rejected({"score": _l("Hãy chọn mức từ 1 đến 5.")})
    if not can_rate(case, now):
        raise Rejected({"score": _l("Phản ánh này đã được đánh giá, hoặc đã quá hạn đánh giá.")},
                       CONFLICT)
    rating = Rating(case_id=case.id, score=score, channel=channel, at=now or utcnow())
    db.session.add(rating)
    tally.rated(case, score, rating.at)
    db.session.add(CaseEvent(case_id=case.id, at=rating.at, actor="citizen", action="rated",
                             detail=str(score), public=False))
    return rating


def rate_on_web(code: str, score: int) -> Rating:
    """The tracking page's form. Commits once; a double submit gets a clear refusal."""
    rating = rate(db.session.scalars(select(Case).filter_by(code=code)).one(), score, "web")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Rejected({"score": _l("Phản ánh này đã được đánh giá.")}, CONFLICT) from None
    return rating


def case_to_rate_by_sms(phone: str, now: datetime) -> Case | None:
    """The case whose answer was texted to `phone` most recently, within the window."""
    return db.session.scalars(
        select(Case).join(OutboundMessage, OutboundMessage.case_id == Case.id)
        .where(OutboundMessage.to_number == phone, OutboundMessage.purpose == "answered",
               OutboundMessage.created_at >= now - window())
        .order_by(OutboundMessage.id.desc())
    ).first()


def low_ratings(scope) -> list[Rating]:
    """Low scores not yet followed up, on cases in `scope` (a WHERE clause)."""
    return list(db.session.scalars(
        select(Rating).join(Case, Case.id == Rating.case_id)
        .where(Rating.score <= LOW, Rating.followed_up_at.is_(None), scope)
        .order_by(Rating.at).options(joinedload(Rating.case))
    ))


def keep_closed(actor: Actor, rating: Rating) -> None:
    """The city office looked at a low score and keeps the answer. Commits."""
    rating.followed_up_at, rating.followed_up_by_id = utcnow(), actor.user.id
    audit.record(actor, "rating.kept", case=rating.case, detail=str(rating.score))
    db.session.commit()
