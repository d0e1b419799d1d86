"""The operators' use cases, without HTTP: history by phone, calls logged as
cases or notes (each one commit, all or nothing), call-backs, the call list."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from feedback.domain import trackcode
from feedback.models import Call, Case, CaseEvent
from feedback.models.types import utcnow
from feedback.services.errors import Rejected
from feedback.services.hotline import operator
from tests.factories import make_case, make_submission
from tests.database import statements
from tests.staff import CALLER, OTHER_CALLER, make_call, make_callback, make_user


def case_count(db) -> int:
    return db.session.scalar(select(func.count(Case.id)))


def test_history_groups_the_latest_cases_by_phone_in_one_query(db):
    old = make_case(phone=CALLER, received_at=utcnow() - timedelta(days=30))
    new = make_case(phone=CALLER)
    other = make_case(phone=OTHER_CALLER)
    make_case(phone="+84903000000")
    with statements() as seen:
        history = operator.caller_history([CALLER, OTHER_CALLER, CALLER, "+84909999999", ""])
        units = [case.unit.code for cases in history.values() for case in cases]  # no lazy load
    assert len(seen) == 1 and all(units)
    assert [c.id for c in history[CALLER]] == [new.id, old.id]
    assert [c.id for c in history[OTHER_CALLER]] == [other.id]
    assert set(history) == {CALLER, OTHER_CALLER}
    assert operator.caller_history([]) == {}


def test_history_keeps_a_few_cases_per_caller(db):
    for _ in range(operator.HISTORY_PER_CALLER + 2):
        make_case(phone=CALLER)
    assert len(operator.caller_history([CALLER])[CALLER]) == operator.HISTORY_PER_CALLER


def test_call_page_separates_live_calls_and_pages_the_rest(db):
    live = make_call(status="ringing")
    stale = make_call(status="in-progress", started_at=utcnow() - timedelta(hours=6))
    done = make_call(status="busy", from_number=OTHER_CALLER)
    page = operator.call_page()
    assert [c.id for c in page.current] == [live.id]
    assert [c.id for c in page.recent] == [done.id, stale.id]
    assert page.next_before is None and set(page.history) == set()
    older = operator.call_page(before=done.id)  # a later page: just the older calls
    assert older.current == [] and [c.id for c in older.recent] == [stale.id, live.id]


def test_calls_today_counts_from_local_midnight(db):
    now = datetime(2024, 3, 5, 3, 0, tzinfo=timezone.utc)          # 10:00 in Vũng Tàu
    make_call(started_at=datetime(2024, 3, 4, 17, 10, tzinfo=timezone.utc))  # 00:10 local
    make_call(started_at=datetime(2024, 3, 4, 16, 50, tzinfo=timezone.utc))  # 23:50 the day before
    assert operator.calls_today(now) == 1


def test_log_case_from_a_call_commits_the_case_and_the_link_together(db):
    user = make_user()
    call = make_call(hotline="hl-business")
    case = operator.log_case(make_submission(channel="web", name=""), call, user.id)
    db.session.expire_all()
    assert case.channel == "voice" and case.hotline.code == "hl-business"
    assert case.received_at == call.started_at
    assert (call.case_id, call.handled_by_id) == (case.id, user.id)
    assert case.events[0].actor == "operator" and case.events[0].user_id == user.id


def test_log_case_without_a_call_is_an_operator_case_needing_a_name(db):
    user = make_user()
    with pytest.raises(Rejected) as rejected:
        operator.log_case(make_submission(name=""), None, user.id)
    assert "name" in rejected.value.errors
    case = operator.log_case(make_submission(), None, user.id)
    assert case.channel == "operator" and case.hotline is None


def test_log_case_reports_every_error_at_once(db):
    user = make_user()
    call = make_call()
    with pytest.raises(Rejected) as rejected:
        operator.log_case(make_submission(hotline_code="nope", description="x"), call, user.id)
    assert {"hotline", "description"} <= set(rejected.value.errors)
    assert case_count(db) == 0


def test_a_call_linked_meanwhile_by_another_operator_rolls_everything_back(db):
    first, second = make_user("a@vungtau.example"), make_user("b@vungtau.example")
    earlier = make_case(phone=CALLER)
    call = make_call()
    assert call.case_id is None  # loaded by this request...
    with db.engine.begin() as other_request:  # ...then linked by another operator's
        other_request.execute(update(Call).where(Call.id == call.id)
                              .values(case_id=earlier.id, handled_by_id=first.id))
    with pytest.raises(Rejected) as rejected:
        operator.log_case(make_submission(), call, second.id)
    assert "call" in rejected.value.errors
    db.session.expire_all()
    assert case_count(db) == 1
    assert (call.case_id, call.handled_by_id) == (earlier.id, first.id)


def test_add_note_refuses_mistyped_and_unknown_codes(db):
    user = make_user()
    case = make_case()
    mistyped = case.code[:-2] + case.code[-1] + case.code[-2]
    if mistyped != case.code:
        with pytest.raises(Rejected) as rejected:
            operator.add_note(mistyped, "Ghi chú", user.id)
        assert "sai số kiểm tra" in str(rejected.value.errors["code"])
    unknown = next(c for c in (trackcode.generate() for _ in range(50)) if c != case.code)
    with pytest.raises(Rejected) as rejected:
        operator.add_note(unknown, "", user.id)
    assert set(rejected.value.errors) == {"code", "note"}
    assert db.session.scalars(select(CaseEvent).filter_by(action="operator_note")).first() is None


def test_add_note_writes_a_private_event_and_links_a_free_call(db):
    user = make_user()
    case = make_case(phone=CALLER)
    call = make_call()
    operator.add_note(f" {trackcode.display(case.code)} ", "  Người  gọi hỏi tiến độ.\r\n", user.id, call)
    db.session.expire_all()
    event = case.events[-1]
    assert (event.action, event.actor, event.user_id, event.public) == (
        "operator_note", "operator", user.id, False)
    assert event.detail == "Người gọi hỏi tiến độ."
    assert (call.case_id, call.handled_by_id) == (case.id, user.id)


def test_a_call_back_is_marked_once(db):
    user, other = make_user("a@vungtau.example"), make_user("b@vungtau.example")
    item = make_callback(make_call(status="no-answer"))
    with pytest.raises(Rejected):
        operator.mark_called_back(item, user.id, "x" * (operator.MAX_NOTE + 1))
    assert operator.mark_called_back(item, user.id, " Đã hẹn gọi lại chiều nay ") is True
    assert operator.mark_called_back(item, other.id, "trùng") is False
    db.session.expire_all()
    assert item.done_by_id == user.id and item.note == "Đã hẹn gọi lại chiều nay"
    assert operator.open_callbacks() == [] and operator.open_callback_count() == 0
    assert [(i.id, u.id) for i, u in operator.done_callbacks()] == [(item.id, user.id)]
