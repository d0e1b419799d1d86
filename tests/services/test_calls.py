"""The voice use cases when Twilio's callbacks arrive out of order or twice."""
import pytest
from sqlalchemy import func, select

from feedback.models import Call, CallbackItem, Case, Recording
from feedback.services.hotline import calls
from tests.fakes import webhooks

pytestmark = pytest.mark.usefixtures("app")
CALLER = "+84912345678"


def ref() -> calls.CallRef:
    return calls.CallRef(webhooks.sid("CA"), from_number="0912 345 678", to_number="+84888801247")


def recording(call: calls.CallRef, seconds: int = 30) -> calls.RecordingIn:
    sid = webhooks.sid("RE")
    return calls.RecordingIn(call, sid, f"https://api.twilio.com/Recordings/{sid}", seconds)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_call_first_heard_of_in_a_status_callback_is_created_and_missed(db):
    call_ref = ref()
    calls.call_status(call_ref, "no-answer", None)
    call = db.session.scalars(select(Call)).one()
    assert (call.from_number, call.hotline.code, call.status) == (CALLER, "hl-citizen", "no-answer")
    assert db.session.scalars(select(CallbackItem)).one().reason == "missed"


def test_two_ending_statuses_make_one_call_back_item(db):
    call_ref = ref()
    calls.start(call_ref)
    calls.call_status(call_ref, "completed", 10)
    calls.call_status(call_ref, "canceled", None)   # another key: passes the receipt
    assert count(db, CallbackItem) == 1


def test_a_late_in_progress_does_not_reopen_an_ended_call(db):
    call_ref = ref()
    calls.call_status(call_ref, "completed", 10)
    calls.call_status(call_ref, "in-progress", None)
    assert db.session.scalars(select(Call)).one().status == "completed"


def test_a_voicemail_after_the_status_callback_replaces_the_abandoned_item(db):
    call_ref = ref()
    calls.start(call_ref)
    calls.choose(call_ref, calls.VOICEMAIL)
    calls.call_status(call_ref, "completed", 40)
    assert db.session.scalars(select(CallbackItem)).one().reason == "abandoned"
    calls.record_voicemail(recording(call_ref))
    item = db.session.scalars(select(CallbackItem)).one()
    assert item.reason == "voicemail" and item.recording.purpose == "voicemail"


def test_a_feedback_after_the_status_callback_takes_the_call_off_the_list(db):
    call_ref = ref()
    calls.start(call_ref)
    calls.choose(call_ref, calls.FEEDBACK)
    calls.call_status(call_ref, "completed", 40)
    case = calls.record_feedback(recording(call_ref))
    assert case is not None and count(db, CallbackItem) == 0


def test_one_case_per_call_even_for_a_second_recording(db):
    call_ref = ref()
    first = calls.record_feedback(recording(call_ref))
    second = calls.record_feedback(recording(call_ref))
    assert first.id == second.id
    assert (count(db, Case), count(db, Recording)) == (1, 2)


def test_the_operator_number_and_voice_come_from_the_settings(db):
    settings = calls.voice_settings()
    assert (settings.name, settings.language, settings.operator_dial) == (
        "Google.vi-VN-Standard-A", "vi-VN", "")
