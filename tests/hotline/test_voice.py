"""The voice menu, replayed as Twilio calls it: signed webhooks with every field,
TwiML parsed and checked element by element."""
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from feedback.domain import trackcode
from feedback.models import Call, CallbackItem, Case, Recording, WebhookReceipt
from feedback.services.hotline import calls
from tests.factories import add_sending_number, make_case
from tests.fakes import webhooks
from tests.hotline import count
from tests.hotline.voice import (
    BASE, CALLER, Caller, configure_voice, spoken, spoken_code,
)


@pytest.mark.parametrize("path", ["", "/menu", "/recorded", "/code", "/dial-result",
                                  "/voicemail", "/status", "/recording-status"])
def test_forged_or_missing_signature_is_refused(client, db, path):
    params = webhooks.call_params(Digits="1")
    forged = webhooks.sign("/hotline/voice" + path, params, token="not-our-token")
    for signature in (forged, ""):
        response = webhooks.post(client, "/hotline/voice" + path, params, signature=signature)
        assert response.status_code == 403
    assert count(db, Call) == 0


def test_a_call_is_recorded_once_and_hears_the_vietnamese_menu(caller, db):
    first = caller.twiml()
    again = caller.twiml()                     # Twilio redelivers the first webhook
    assert count(db, Call) == 1
    call = caller.call
    assert (call.from_number, call.hotline.code, call.choice) == (CALLER, "hl-citizen", "menu")
    for root in (first, again):
        says = list(root.iter("Say"))
        assert says and all(s.get("voice") == "Google.vi-VN-Standard-A" for s in says)
        assert all(s.get("language") == "vi-VN" for s in says)
        gather = root.find("Gather")
        assert gather.attrib["input"] == "dtmf" and gather.attrib["numDigits"] == "1"
        assert gather.attrib["action"] == BASE + "/menu?attempt=1"
        assert "nhấn phím 1" in spoken(gather) and "phím 0" in spoken(gather)
        # No key: Twilio goes on to the Redirect, which is handled as 0.
        assert root.find("Redirect").text == BASE + "/menu?attempt=1"


def test_a_forwarded_call_is_put_on_the_hotline_it_was_forwarded_from(client, db):
    caller = Caller(client, to="+15005550006", ForwardedFrom="+84888800147")
    caller.twiml()
    assert caller.call.hotline.code == "hl-business"


@pytest.mark.org_data
def test_press_1_records_feedback_and_makes_a_case_whose_code_is_read_back(caller, db, fake_twilio):
    add_sending_number()
    caller.twiml()
    gather = caller.twiml("/menu", Digits="1").find("Gather")
    assert (gather.attrib["input"], gather.attrib["language"]) == ("speech", "vi-VN")
    assert gather.attrib["action"] == BASE + "/topic"
    record = caller.twiml("/topic").find("Record")       # nothing said: record all the same
    assert record.attrib["action"] == BASE + "/recorded"
    assert (record.attrib["maxLength"], record.attrib["playBeep"]) == ("180", "true")
    assert record.attrib["recordingStatusCallback"] == BASE + "/recording-status"

    sid = webhooks.sid("RE")
    answer = caller.recording("/recorded", sid)
    case = db.session.scalars(select(Case)).one()
    assert (case.channel, case.reporter.phone, case.hotline.code) == ("voice", CALLER, "hl-citizen")
    assert case.description == "Ghi âm cuộc gọi, 42 giây"
    digits = spoken_code(case.code)
    assert spoken(answer).count(digits) == 2
    assert answer.find("Hangup") is not None
    [sms] = fake_twilio.sent
    assert sms["To"] == CALLER and trackcode.display(case.code) in sms["Body"]
    recording = db.session.scalars(select(Recording)).one()
    assert (recording.recording_sid, recording.purpose, recording.case_id) == (sid, "feedback", case.id)

    redelivered = caller.recording("/recorded", sid)
    assert spoken(redelivered).count(digits) == 2
    assert (count(db, Case), count(db, Recording), len(fake_twilio.sent)) == (1, 1, 1)

    caller.status("completed")
    assert count(db, CallbackItem) == 0       # the caller made a case: nobody calls back


def test_what_the_caller_says_the_feedback_is_about_routes_the_case(caller, db):
    caller.twiml()
    caller.twiml("/menu", Digits="1")
    assert caller.twiml("/topic", SpeechResult="đăng ký khai sinh ở phường 7",
                        Confidence="0.91").find("Record") is not None
    caller.recording("/recorded", seconds="65")
    case = db.session.scalars(select(Case)).one()
    assert case.description == "Người gọi nói: “đăng ký khai sinh ở phường 7”. Ghi âm cuộc gọi, 65 giây"
    assert (case.state, case.unit.code, case.category.code) == ("assigned", "w-7", "ho-tich")


def test_a_recording_without_a_topic_waits_in_triage(caller, db):
    caller.twiml()
    caller.twiml("/menu", Digits="1")
    caller.twiml("/topic", SpeechResult="")
    caller.recording("/recorded")
    case = db.session.scalars(select(Case)).one()
    assert case.state == "triage" and case.unit.code == "vp-hdnd-ubnd"


def test_a_case_from_the_business_hotline_is_a_business_case(client, db):
    caller = Caller(client, to="+84888800147")
    caller.twiml()
    caller.recording("/recorded")
    case = db.session.scalars(select(Case)).one()
    assert (case.reporter_type, case.hotline.code) == ("business", "hl-business")


def test_a_feedback_from_a_hidden_number_is_kept_as_a_voicemail(client, db):
    caller = Caller(client, from_="anonymous")
    caller.twiml()
    caller.twiml("/menu", Digits="1")
    answer = caller.recording("/recorded")
    assert count(db, Case) == 0
    item = db.session.scalars(select(CallbackItem)).one()
    assert (item.reason, item.recording.purpose) == ("voicemail", "voicemail")
    assert "gọi lại" in spoken(answer)


def test_nothing_recorded_goes_back_to_the_menu(caller, db):
    caller.twiml()
    root = caller.twiml("/recorded", RecordingDuration="0", RecordingSid=webhooks.sid("RE"),
                        RecordingUrl="https://api.twilio.com/x")
    assert root.find("Redirect").text == BASE + "?again=1"
    assert count(db, Case) == 0 and count(db, Recording) == 0


def test_press_2_and_a_valid_code_speak_the_status_and_nothing_private(caller, db):
    case = make_case(category_code="dat-dai")
    caller.twiml()
    gather = caller.twiml("/menu", Digits="2").find("Gather")
    assert (gather.attrib["numDigits"], gather.attrib["finishOnKey"]) == ("12", "#")
    assert gather.attrib["action"] == BASE + "/code?attempt=1"

    root = caller.twiml("/code?attempt=1", Digits=case.code)
    text = spoken(root)
    due = case.due_on
    assert spoken_code(case.code) in text
    assert "Đã chuyển đơn vị xử lý" in text and case.unit.name_vi in text
    assert f"ngày {due.day} tháng {due.month} năm {due.year}" in text
    for private in ("Nguyễn Văn An", "912345678", "912 345 678", "khai sinh"):
        assert private not in text
    assert caller.call.choice == "status"


def test_a_mistyped_code_is_refused_and_the_caller_tries_at_most_three_times(caller, db):
    case = make_case()
    typo = case.code[:-1] + str((int(case.code[-1]) + 1) % 10)
    caller.twiml()
    first = caller.twiml("/code?attempt=1", Digits=typo)
    assert "không đúng" in spoken(first) and case.unit.name_vi not in spoken(first)
    assert first.find("Gather").attrib["action"] == BASE + "/code?attempt=2"
    last = caller.twiml("/code?attempt=3", Digits=typo)
    assert last.find("Gather") is None
    assert last.find("Redirect").text == BASE + "?again=1"


def test_a_valid_code_of_no_case_is_refused_too(caller, db):
    body = "12345678901"
    root = caller.twiml("/code?attempt=1", Digits=body + trackcode.check_digit(body))
    assert "Không tìm thấy" in spoken(root)
    assert root.find("Gather").attrib["action"] == BASE + "/code?attempt=2"


def test_recording_status_updates_the_recording_once(caller, db):
    sid = webhooks.sid("RE")
    caller.recording("/recorded", sid)
    params = dict(RecordingSid=sid, RecordingStatus="completed", RecordingDuration="44",
                  RecordingUrl="https://api.twilio.com/new-url")
    assert caller.post("/recording-status", **params).status_code == 204
    assert caller.post("/recording-status", **params).status_code == 204
    recording = db.session.scalars(select(Recording)).one()
    db.session.refresh(recording)
    assert (recording.status, recording.duration, recording.url) == (
        "completed", 44, "https://api.twilio.com/new-url")
    assert count(db, WebhookReceipt) == 1


def test_later_steps_of_an_unknown_call_still_get_twiml(caller, db):
    assert caller.twiml("/menu", Digits="2").find("Gather") is not None
    assert caller.twiml("/code", Digits="123").find("Gather") is not None
    assert caller.call.choice == "status"


def test_a_failure_is_answered_with_twiml_not_a_500(caller, db, monkeypatch):
    def broken(ref):
        raise RuntimeError("database down")
    monkeypatch.setattr(calls, "start", broken)
    root = caller.twiml()
    assert "sự cố" in spoken(root) and root.find("Hangup") is not None


@pytest.mark.org_data
def test_the_configured_voice_is_used(caller, db):
    configure_voice(db, name="Google.vi-VN-Wavenet-A")
    assert {s.get("voice") for s in caller.twiml().iter("Say")} == {"Google.vi-VN-Wavenet-A"}


def test_the_voice_is_vietnamese_whatever_the_request_language(caller, db):
    case = make_case(category_code="dat-dai")
    response = webhooks.post(caller.client, "/hotline/voice/code",
                             {**caller.params, "Digits": case.code},
                             headers={"Accept-Language": "en"})
    text = spoken(ET.fromstring(response.data))
    assert "Đã chuyển đơn vị xử lý" in text and "Hạn trả lời" in text


