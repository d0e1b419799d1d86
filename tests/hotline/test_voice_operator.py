"""The voice menu's way to a person: the operator dialled in office hours,
voicemail for a call back outside them, and how a call that ends is counted."""
from datetime import datetime

import pytest
from sqlalchemy import select

from feedback.domain.calendar import LOCAL_TZ
from feedback.models import CallbackItem, Case, Recording, WebhookReceipt
from tests.fakes import webhooks
from tests.hotline import count
from tests.hotline.voice import BASE, CALLER, DESK, EVENING, OPEN, configure_voice, spoken


@pytest.mark.org_data
@pytest.mark.parametrize("digits", [{"Digits": "0"}, {}])
def test_operator_in_office_hours_is_dialled(caller, db, at, digits):
    configure_voice(db, operator_dial=DESK)
    at(OPEN)
    caller.twiml()
    dial = caller.twiml("/menu?attempt=1", **digits).find("Dial")
    assert dial.text == DESK
    assert (dial.attrib["action"], dial.attrib["timeout"]) == (BASE + "/dial-result", "25")

    assert caller.twiml("/dial-result", DialCallStatus="completed").find("Hangup") is not None
    caller.status("completed")
    assert caller.call.choice == "operator" and count(db, CallbackItem) == 0


@pytest.mark.org_data
def test_an_unanswered_dial_goes_to_voicemail(caller, db, at):
    configure_voice(db, operator_dial=DESK)
    at(OPEN)
    caller.twiml()
    caller.twiml("/menu", Digits="0")
    root = caller.twiml("/dial-result", DialCallStatus="no-answer")
    assert root.find("Record").attrib["action"] == BASE + "/voicemail"
    assert "bận" in spoken(root)


@pytest.mark.org_data
@pytest.mark.parametrize("moment", [EVENING, datetime(2024, 3, 16, 10, 0, tzinfo=LOCAL_TZ)])
def test_outside_office_hours_the_caller_leaves_a_voicemail_for_a_call_back(caller, db, at, moment):
    configure_voice(db, operator_dial=DESK)
    at(moment)
    caller.twiml()
    root = caller.twiml("/menu", Digits="0")
    assert root.find("Dial") is None
    record = root.find("Record")
    assert record.attrib["action"] == BASE + "/voicemail" and record.attrib["playBeep"] == "true"
    assert "ngoài giờ làm việc" in spoken(root) and "7 giờ 30 phút" in spoken(root)

    sid = webhooks.sid("RE")
    assert "gọi lại" in spoken(caller.recording("/voicemail", sid))
    caller.recording("/voicemail", sid)       # redelivered
    caller.status("completed")
    item = db.session.scalars(select(CallbackItem)).one()
    assert (item.reason, item.phone, item.recording.recording_sid) == ("voicemail", CALLER, sid)
    assert (count(db, Recording), count(db, Case)) == (1, 0)


def test_without_an_operator_number_calls_go_to_voicemail_in_office_hours(caller, db, at):
    at(OPEN)
    root = caller.twiml("/menu", Digits="0")
    assert root.find("Dial") is None and root.find("Record") is not None


def test_a_call_hung_up_in_the_menu_is_missed_once(caller, db):
    caller.twiml()
    caller.status("completed", duration="12")
    caller.status("completed", duration="12")  # duplicate delivery
    item = db.session.scalars(select(CallbackItem)).one()
    assert (item.reason, item.phone) == ("missed", CALLER)
    call = caller.call
    assert (call.status, call.duration) == ("completed", 12) and call.ended_at is not None
    receipts = db.session.scalars(select(WebhookReceipt).filter_by(kind="call-status")).all()
    assert [r.key for r in receipts] == [f"{call.call_sid}:completed"]


def test_a_call_hung_up_after_choosing_is_abandoned(caller, db):
    caller.twiml()
    caller.twiml("/menu", Digits="1")
    caller.status("completed")
    assert db.session.scalars(select(CallbackItem)).one().reason == "abandoned"


def test_an_invalid_key_repeats_the_menu_then_falls_back_to_the_operator(caller, db, at):
    at(EVENING)
    caller.twiml()
    root = caller.twiml("/menu?attempt=1", Digits="7")
    assert "không có trong danh sách" in spoken(root)
    assert root.find("Gather").attrib["action"] == BASE + "/menu?attempt=2"
    assert caller.twiml("/menu?attempt=3", Digits="7").find("Record") is not None


def test_a_caller_who_asked_for_a_status_needs_no_call_back(caller, db):
    caller.twiml()
    caller.twiml("/menu", Digits="2")
    caller.status("completed")
    assert db.session.scalars(select(CallbackItem)).all() == []
