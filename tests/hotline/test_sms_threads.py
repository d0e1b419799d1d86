"""Twilio inbound SMS: which messages join an open case and which open a new one."""
import pytest
from sqlalchemy import select

from feedback.domain import states, trackcode
from feedback.models import Case, InboundMessage
from tests.hotline import assert_one_gsm_segment, count, reply_of, send
from tests.database import statements


def test_second_message_within_a_day_joins_the_open_case(client, db):
    first = reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    with statements() as seen:
        text = reply_of(send(client, "Bổ sung: tình trạng kéo dài từ thứ Hai tuần trước."))
    assert [s for s in seen if "FROM case_events" in s] == []   # the timeline is added to, not read
    case = db.session.scalars(select(Case)).one()
    assert trackcode.display(case.code) in first and trackcode.display(case.code) in text
    assert "bo sung" in text.lower()
    added = [e for e in case.events if e.action == "sms_added"]
    assert len(added) == 1 and not added[0].public
    assert added[0].detail == "Bổ sung: tình trạng kéo dài từ thứ Hai tuần trước."


def test_message_after_24_hours_opens_a_new_case(client, db):
    reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    row = db.session.scalars(select(InboundMessage)).one()
    row.received_at = row.received_at.replace(year=row.received_at.year - 1)
    db.session.commit()
    reply_of(send(client, "Một việc khác: vỉa hè đường Trần Phú bị lấn chiếm."))
    assert count(db, Case) == 2


def test_closed_case_is_never_reopened_by_sms(client, db):
    reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    case = db.session.scalars(select(Case)).one()
    case.state = states.CLOSED
    db.session.commit()
    reply_of(send(client, "Vẫn chưa được sửa, đề nghị kiểm tra lại giúp."))
    assert count(db, Case) == 2
    db.session.refresh(case)
    assert case.state == states.CLOSED
    assert not any(e.action == "sms_added" for e in case.events)


def test_moi_always_opens_a_new_case_with_the_text_after_it(client, db):
    reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    text = reply_of(send(client, "MOI: Quán karaoke số 9 Hoàng Hoa Thám hát đến 1 giờ sáng."))
    assert count(db, Case) == 2
    newest = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert newest.description == "Quán karaoke số 9 Hoàng Hoa Thám hát đến 1 giờ sáng."
    assert trackcode.display(newest.code) in text and "Ma tra cuu" in text
    assert_one_gsm_segment(text)
    reply_of(send(client, "Mới: vỉa hè đường Trần Phú bị lấn chiếm làm bãi giữ xe."))
    assert count(db, Case) == 3


def test_moi_alone_gets_help_not_an_empty_case(client, db):
    text = reply_of(send(client, "MOI"))
    assert "MOI <noi dung>" in text and count(db, Case) == 0


def test_the_reply_to_an_addition_says_how_to_start_a_new_case(client, db):
    reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    text = reply_of(send(client, "Bổ sung: tình trạng kéo dài từ thứ Hai tuần trước."))
    assert "MOI <noi dung>" in text
    assert_one_gsm_segment(text)


@pytest.mark.parametrize("state", [states.IN_PROGRESS, states.ANSWERED])
def test_a_case_a_unit_has_accepted_is_not_joined(client, db, state):
    reply_of(send(client, "Cống thoát nước đường Lê Lợi bị tắc, nước tràn ra đường."))
    case = db.session.scalars(select(Case)).one()
    case.state = state
    db.session.commit()
    reply_of(send(client, "Quán karaoke số 9 Hoàng Hoa Thám hát đến 1 giờ sáng mỗi đêm."))
    assert count(db, Case) == 2
    assert not any(e.action == "sms_added" for e in case.events)
