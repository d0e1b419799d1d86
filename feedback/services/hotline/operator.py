"""The hotline operators' use cases: the call list with each caller's history,
a call logged as a case or as a note on a case, and the call-back list.

Views only parse and render; each use case that writes owns its single commit.
Links from a call or a call-back item are set with conditional UPDATEs, so two
operators acting on the same call at once cannot both win.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from ...domain import trackcode
from ...domain.calendar import LOCAL_TZ
from ...domain.text import clean
from ...extensions import db
from ...models import Call, CallbackItem, Case, CaseEvent, Hotline, Reporter, User
from ...models.types import utcnow
from .. import cases, intake, notify
from ..errors import Rejected
from . import recordings

# Twilio's final call statuses; any other status (queued, ringing, in-progress)
# means the call is still going on.
FINAL_CALL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
# A call still "in progress" after this long lost its final status callback.
CURRENT_WINDOW = timedelta(hours=4)
PAGE_SIZE = 50
HISTORY_PER_CALLER = 5
MAX_NOTE = 2000
DONE_LIST_SIZE = 100


@dataclass
class CallPage:
    current: list[Call]
    recent: list[Call]
    next_before: int | None
    history: dict[str, list[Case]] = field(default_factory=dict)


def _with_details(query):
    """Eager-load what a call row shows, so listing N calls is not N queries."""
    return query.options(
        joinedload(Call.hotline), joinedload(Call.case), selectinload(Call.recordings),
        selectinload(Call.callback_item),
    )


def current_calls(now: datetime | None = None) -> list[Call]:
    since = (now or utcnow()) - CURRENT_WINDOW
    query = select(Call).where(
        Call.status.not_in(FINAL_CALL_STATUSES), Call.started_at >= since,
    ).order_by(Call.id.desc())
    return list(db.session.scalars(_with_details(query)).unique())


def call_page(before: int | None = None, now: datetime | None = None) -> CallPage:
    """Current calls, then one keyset page of the others, newest first, with the
    earlier cases of every caller on the page fetched in one query."""
    current = current_calls(now) if before is None else []
    query = select(Call).order_by(Call.id.desc()).limit(PAGE_SIZE + 1)
    if before is not None:
        query = query.where(Call.id < before)
    if current:
        query = query.where(Call.id.not_in([c.id for c in current]))
    recent = list(db.session.scalars(_with_details(query)).unique())
    next_before = recent[PAGE_SIZE - 1].id if len(recent) > PAGE_SIZE else None
    recent = recent[:PAGE_SIZE]
    history = caller_history(c.from_number for c in current + recent)
    return CallPage(current, recent, next_before, history)


def calls_today(now: datetime | None = None) -> int:
    """Calls since local midnight (Asia/Ho_Chi_Minh), for the console's summary."""
    local = (now or utcnow()).astimezone(LOCAL_TZ)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return db.session.scalar(select(func.count(Call.id)).where(Call.started_at >= midnight)) or 0


def caller_history(phones: Iterable[str], per_caller: int = HISTORY_PER_CALLER) -> dict[str, list[Case]]:
    """The latest ordinary cases whose reporter phone is one of `phones`, by
    phone: ONE query. Sealed cases never show: a caller's denunciation must not
    be tied to their number on an operator's screen.

    A window function keeps at most `per_caller` cases a number, so a frequent
    caller cannot swell the page.
    """
    numbers = sorted({p for p in phones if p})
    if not numbers:
        return {}
    ranked = select(
        Reporter.case_id, Reporter.phone,
        func.row_number().over(
            partition_by=Reporter.phone, order_by=(Case.received_at.desc(), Case.id.desc()),
        ).label("rank"),
    ).join(Case, Case.id == Reporter.case_id).where(
        Reporter.phone.in_(numbers), Case.confidential.is_(False),  # never the sealed track
    ).subquery()
    rows = db.session.execute(
        select(Case, ranked.c.phone).join(ranked, ranked.c.case_id == Case.id)
        .where(ranked.c.rank <= per_caller).options(joinedload(Case.unit))
        .order_by(ranked.c.phone, Case.received_at.desc(), Case.id.desc())
    ).unique().all()
    found: dict[str, list[Case]] = defaultdict(list)
    for case, phone in rows:
        found[phone].append(case)
    return dict(found)


def find_call(call_id: int) -> Call | None:
    query = _with_details(select(Call).where(Call.id == call_id))
    return db.session.scalars(query).unique().first()


def find_case(code: str) -> Case | None:
    """A case by its exact canonical code (as the views redirect with it)."""
    return cases.by_code(code) if trackcode.normalise(code) == code else None


def _link_call(call: Call, case_id: int, user_id: int) -> bool:
    """Link the call to the case unless another operator linked it first. The
    caller is then served: a call-back item still open for the call is done,
    so the call-back list and the console tell the same story."""
    result = db.session.execute(
        update(Call).where(Call.id == call.id, Call.case_id.is_(None))
        .values(case_id=case_id, handled_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.execute(
        update(CallbackItem).where(CallbackItem.call_id == call.id, CallbackItem.done_at.is_(None))
        .values(done_at=utcnow(), done_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return True


def _lock_call(call: Call | None) -> None:
    """Take the call's row first, as the voice webhooks do (calls.py), so that
    logging it cannot deadlock with its recording arriving."""
    if call is not None:
        db.session.execute(select(Call.id).where(Call.id == call.id).with_for_update())


def _already_logged() -> Rejected:
    return Rejected({"call": _l("Cuộc gọi này đã được ghi thành một phản ánh khác.")})


def _check_line(sub: intake.Submission, call: Call | None) -> None:
    """Refuse a call already logged or an unknown hotline, with every intake
    error too, so the operator corrects the form in one go."""
    errors: dict[str, str] = {}
    if call is not None and call.case_id is not None:
        errors.update(_already_logged().errors)
    if sub.hotline_code and db.session.scalar(
        select(Hotline.id).filter_by(code=sub.hotline_code)
    ) is None:
        errors["hotline"] = _l("Đường dây nóng không hợp lệ.")
    if not errors:
        return
    try:
        intake.validate(sub)
    except Rejected as rejected:
        errors = {**rejected.errors, **errors}
    raise Rejected(errors)


def _prepare(sub: intake.Submission, call: Call | None, user_id: int) -> None:
    sub.channel = "voice" if call is not None else "operator"
    sub.actor, sub.user_id, sub.uploads = "operator", user_id, []
    if call is None:
        return
    sub.received_at = call.started_at
    if not sub.hotline_code and call.hotline is not None:
        sub.hotline_code = call.hotline.code


def log_case(sub: intake.Submission, call: Call | None, user_id: int) -> Case:
    """Open a case on the caller's behalf (channel voice from a call, operator
    otherwise) and link the call to it: one commit for both, or neither."""
    _prepare(sub, call, user_id)
    _check_line(sub, call)
    try:
        _lock_call(call)
        case = intake.build(sub)
        db.session.flush()
        if call is not None and not _link_call(call, case.id, user_id):
            raise _already_logged()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    notify.dispatch_pending(case)
    if call is not None:
        recordings.keep_all_of_call(call.id)
    return case


def _note_errors(code: str | None, case: Case | None, typed: str, note: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not typed.strip():
        errors["code"] = _l("Hãy nhập mã tra cứu của phản ánh.")
    elif code is None:
        errors["code"] = _l("Mã tra cứu không đúng (sai số kiểm tra): hãy hỏi lại người gọi.")
    elif case is None:
        errors["code"] = _l("Không có phản ánh nào với mã này.")
    if not note:
        errors["note"] = _l("Hãy nhập nội dung ghi chú.")
    elif len(note) > MAX_NOTE:
        errors["note"] = _l("Ghi chú dài quá %(n)d ký tự.", n=MAX_NOTE)
    return errors


def add_note(typed_code: str, note: str, user_id: int, call: Call | None = None) -> Case:
    """Add what the caller said to an existing case, as a private event.

    The check digit refuses a mistyped code instead of finding somebody else's
    case. A call not yet linked to a case is linked to this one.
    """
    code = trackcode.normalise(typed_code)
    case = cases.by_code(code)
    text = clean(note)
    errors = _note_errors(code, case, typed_code or "", text)
    if errors:
        raise Rejected(errors)
    case.add_event(CaseEvent(
        actor="operator", user_id=user_id, action="operator_note", detail=text, public=False,
    ))
    linked = call is not None and call.case_id is None and _link_call(call, case.id, user_id)
    db.session.commit()
    if linked:
        recordings.keep_all_of_call(call.id)
    return case


def open_callbacks() -> list[CallbackItem]:
    """Calls waiting for a call back, oldest first: the longest wait goes first."""
    query = select(CallbackItem).where(CallbackItem.done_at.is_(None)).order_by(
        CallbackItem.created_at, CallbackItem.id,
    ).options(
        joinedload(CallbackItem.call).joinedload(Call.hotline), joinedload(CallbackItem.recording),
        joinedload(CallbackItem.call).joinedload(Call.case),
    )
    return list(db.session.scalars(query).unique())


def open_callback_count() -> int:
    return db.session.scalar(
        select(func.count(CallbackItem.id)).where(CallbackItem.done_at.is_(None))
    ) or 0


def done_callbacks(limit: int = DONE_LIST_SIZE) -> list[tuple[CallbackItem, User | None]]:
    """The latest call-backs made, with who made them."""
    query = select(CallbackItem, User).outerjoin(User, User.id == CallbackItem.done_by_id).where(
        CallbackItem.done_at.is_not(None),
    ).order_by(CallbackItem.done_at.desc(), CallbackItem.id.desc()).limit(limit).options(
        joinedload(CallbackItem.call).joinedload(Call.hotline), joinedload(CallbackItem.recording),
        joinedload(CallbackItem.call).joinedload(Call.case),
    )
    return [(item, user) for item, user in db.session.execute(query).unique().all()]


def mark_called_back(item: CallbackItem, user_id: int, note: str = "") -> bool:
    """Record that the caller was called back; False if someone already had."""
    text = clean(note)
    if len(text) > MAX_NOTE:
        raise Rejected({"note": _l("Ghi chú dài quá %(n)d ký tự.", n=MAX_NOTE)})
    result = db.session.execute(
        update(CallbackItem).where(CallbackItem.id == item.id, CallbackItem.done_at.is_(None))
        .values(done_at=utcnow(), done_by_id=user_id, note=text or None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1
