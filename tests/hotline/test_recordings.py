"""Voice evidence kept: recordings copied into the case's files from the fake
Twilio, once; hostile voice webhooks refused with a clear 400."""
import pytest
from sqlalchemy import func, select

from feedback.models import Attachment, Call, Case, Recording
from tests.fakes import webhooks
from tests.fakes.twilio_server import recording_mp3
from tests.hotline.voice import Caller
from tests.staff import make_call, make_callback, signed_in_operator


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def recorded(caller: Caller, fake_twilio, sid: str):
    return caller.twiml("/recorded", RecordingSid=sid, RecordingDuration="42",
                        RecordingUrl=fake_twilio.recording_url(sid), CallStatus="in-progress")


def test_a_feedback_recording_is_copied_into_the_case_files_once(client, db, fake_twilio):
    caller, sid = Caller(client), webhooks.sid("RE")
    caller.twiml()
    recorded(caller, fake_twilio, sid)
    case = db.session.scalars(select(Case)).one()
    attachment = db.session.scalars(select(Attachment)).one()
    assert (attachment.case_id, attachment.content_type) == (case.id, "audio/mpeg")
    assert attachment.original_name == f"ghi-am-{sid}.mp3"
    assert attachment.size == len(recording_mp3(sid))

    recorded(caller, fake_twilio, sid)                      # Twilio redelivers
    response = caller.post("/recording-status", RecordingSid=sid, RecordingStatus="completed",
                           RecordingUrl=fake_twilio.recording_url(sid), RecordingDuration="42")
    assert response.status_code == 204                      # the second chance to copy
    assert count(db, Attachment) == 1


def test_the_copy_is_made_when_twilio_says_the_recording_is_ready(client, db, fake_twilio):
    """At /recorded the file may not be ready yet: the status callback copies it."""
    caller, sid = Caller(client), webhooks.sid("RE")
    path = f"/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{sid}.mp3"
    fake_twilio.files[path] = ("application/json", b'{"status": 404}')  # not ready
    recorded(caller, fake_twilio, sid)
    assert count(db, Case) == 1 and count(db, Attachment) == 0
    del fake_twilio.files[path]
    caller.post("/recording-status", RecordingSid=sid, RecordingStatus="completed",
                RecordingUrl=fake_twilio.recording_url(sid), RecordingDuration="42")
    assert count(db, Attachment) == 1


def test_a_voicemail_is_copied_into_the_case_the_operator_logs_for_its_call(client, db, fake_twilio):
    caller, sid = Caller(client), webhooks.sid("RE")
    caller.twiml("/voicemail", RecordingSid=sid, RecordingDuration="20",
                 RecordingUrl=fake_twilio.recording_url(sid))
    assert count(db, Attachment) == 0                       # no case yet
    signed_in_operator(client)
    call = caller.call
    response = client.post(f"/staff/operator/log?call={call.id}", data={
        "kind": "phan-anh", "reporter_type": "citizen", "hotline": "hl-citizen", "name": "Võ Thị Lan",
        "description": "Người gọi để lại lời nhắn về hồ sơ đất đai trễ hẹn.", "phone": "0912345678"})
    assert response.status_code == 302
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.case_id == caller.call.case_id and attachment.content_type == "audio/mpeg"


def test_the_public_form_still_refuses_audio(client, db):
    response = client.post("/submit", data={
        "kind": "phan-anh", "reporter_type": "citizen", "name": "Nguyễn Văn An",
        "description": "Hồ sơ đăng ký khai sinh của con tôi bị trễ hẹn hai tuần.",
        "phone": "0912345678", "attachments": [(__import__("io").BytesIO(recording_mp3("RE1")), "a.mp3")],
    }, content_type="multipart/form-data")
    assert response.status_code == 422
    assert count(db, Case) == 0


@pytest.mark.parametrize("path,extra", [
    ("/status", {"CallStatus": "completed", "CallDuration": str(2**63)}),
    ("/status", {"CallStatus": "completed", "CallDuration": "-5"}),
    ("/status", {"CallStatus": "x" * 21}),
    ("/status", {"CallSid": "CA" + "f" * 200}),
    ("/recording-status", {"RecordingSid": "RE1", "RecordingStatus": "completed",
                           "RecordingDuration": str(2**63)}),
    ("/recording-status", {"RecordingSid": "RE\x00"}),
    ("/recorded", {"RecordingSid": webhooks.sid("RE"), "RecordingUrl": "https://api.twilio.com/x",
                   "RecordingDuration": "9" * 30}),
    ("/code", {"Digits": "1" * 41}),
    ("/menu", {"Digits": "1", "From": "+84" + "9" * 40}),
])
def test_out_of_range_voice_values_are_a_clear_400(client, db, path, extra):
    response = Caller(client).post(path, **extra)
    assert response.status_code == 400, response.get_data()
    assert count(db, Call) == 0 and count(db, Recording) == 0


def test_a_missed_call_logged_as_a_case_says_so_on_the_console_and_the_call_back_list(client, db):
    user = signed_in_operator(client)
    call = make_call(status="no-answer", choice="menu")
    item = make_callback(call, "missed")
    response = client.post(f"/staff/operator/log?call={call.id}", data={
        "kind": "phan-anh", "reporter_type": "citizen", "hotline": "hl-citizen", "name": "Võ Thị Lan",
        "description": "Người gọi nhỡ, gọi lại thì phản ánh đèn đường hỏng.", "phone": "0912345678"})
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Call, call.id).case
    assert item.done_at is not None and item.done_by_id == user.id
    code = case.code[:4]
    console = client.get("/staff/operator").get_data(as_text=True)
    assert "Gọi nhỡ" in console and "đã ghi thành phản ánh" in console and code in console
    waiting = client.get("/staff/operator/callbacks").get_data(as_text=True)
    assert f"callback-{item.id}" not in waiting
    done = client.get("/staff/operator/callbacks?done=1").get_data(as_text=True)
    assert "Đã ghi thành phản ánh" in done and code in done
