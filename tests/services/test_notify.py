"""Outbound SMS through the outbox, over real HTTP to the fake Twilio."""
import pytest
from sqlalchemy import func, select

from feedback.domain import sms, trackcode
from feedback.models import OutboundMessage, SmsOptOut, Unit, WebhookReceipt
from feedback.models import outbox
from feedback.services import notify
from feedback.services.texts import sms_text
from tests.factories import SENDING_NUMBER, add_sending_number, make_case
from tests.fakes import webhooks

SENDER = SENDING_NUMBER

pytestmark = pytest.mark.org_data  # every test adds a sending number


@pytest.fixture(autouse=True)
def sending_number(app):
    add_sending_number()


def only_message(db) -> OutboundMessage:
    return db.session.scalars(select(OutboundMessage)).one()


def test_web_case_with_a_phone_is_texted_its_code(db, fake_twilio):
    case = make_case(notify=True, category_code="dat-dai")
    [sent] = fake_twilio.sent
    assert (sent["To"], sent["From"]) == ("+84912345678", SENDER)
    assert trackcode.display(case.code) in sent["Body"]
    assert "Phong Tai nguyen va Moi truong" in sent["Body"]
    assert sms.is_gsm7(sent["Body"]) and sms.segments(sent["Body"]) == 1
    assert sent["StatusCallback"] == webhooks.PUBLIC_BASE_URL + "/hotline/sms/status"
    message = only_message(db)
    assert (message.status, message.purpose) == (outbox.SENT, "received")
    assert message.provider_sid.startswith("SM")


@pytest.mark.parametrize("code", [21211, 21610, 21614])
def test_twilio_errors_are_recorded_not_raised(db, fake_twilio, code):
    fake_twilio.failures["+84912345678"] = code
    case = make_case(notify=True)
    message = only_message(db)
    assert (message.status, message.error_code) == (outbox.FAILED, str(code))
    assert case.id is not None and fake_twilio.sent == []


def test_web_form_still_succeeds_when_the_sms_fails(client, db, fake_twilio):
    fake_twilio.failures["+84912345678"] = 21211
    response = client.post("/submit", data={
        "kind": "phan-anh", "reporter_type": "citizen", "description": "Đèn đường hỏng ở đường Hạ Long.",
        "name": "Trần Văn Bình", "phone": "0912345678"})
    assert response.status_code == 302


def test_timeout_is_recorded_and_never_resent_blindly(app, db, fake_twilio):
    fake_twilio.failures["+84912345678"] = "timeout"
    fake_twilio.hang_seconds = app.config["TWILIO_TIMEOUT"] + 1
    make_case(notify=True)
    message = only_message(db)
    assert (message.status, message.error_code) == (outbox.UNKNOWN, "timeout")
    posts = len([r for r in fake_twilio.requests if r[0] == "POST"])
    notify.send(message.id)
    assert len([r for r in fake_twilio.requests if r[0] == "POST"]) == posts
    assert message.attempts == 1


def status(client, sid, value, **extra):
    params = {"MessageSid": sid, "MessageStatus": value, "AccountSid": "AC" + "0" * 32,
              "From": SENDER, "To": "+84912345678", "ApiVersion": "2010-04-01", "SmsSid": sid,
              "SmsStatus": value, **extra}
    return webhooks.post(client, "/hotline/sms/status", params)


def test_status_callbacks_update_once_and_never_go_backwards(client, db):
    make_case(notify=True)
    sid = only_message(db).provider_sid
    assert status(client, sid, "delivered").status_code == 204
    assert status(client, sid, "delivered").status_code == 204
    assert status(client, sid, "sent").status_code == 204
    db.session.expire_all()
    assert only_message(db).status == outbox.DELIVERED
    assert db.session.scalar(select(func.count()).select_from(WebhookReceipt)) == 2


def test_undelivered_keeps_the_error_code(client, db):
    make_case(notify=True)
    sid = only_message(db).provider_sid
    status(client, sid, "undelivered", ErrorCode="30003")
    db.session.expire_all()
    message = only_message(db)
    assert (message.status, message.error_code) == ("undelivered", "30003")


def test_forged_status_callback_is_refused(client, db):
    make_case(notify=True)
    params = {"MessageSid": only_message(db).provider_sid, "MessageStatus": "failed"}
    assert webhooks.post(client, "/hotline/sms/status", params, signature="x").status_code == 403
    assert only_message(db).status == outbox.SENT


def test_opted_out_number_is_never_texted(db, fake_twilio):
    db.session.add(SmsOptOut(phone="+84912345678"))
    db.session.commit()
    make_case(notify=True)
    assert only_message(db).status == outbox.BLOCKED and fake_twilio.sent == []


def test_email_only_and_sms_cases_get_no_text(db, fake_twilio):
    make_case(notify=True, phone="", email="an@example.vn")
    make_case(notify=True, channel="sms", name="")
    [message] = db.session.scalars(select(OutboundMessage)).all()
    assert (message.channel, message.to_email, message.to_number) == ("email", "an@example.vn", None)
    assert fake_twilio.sent == []


def test_routed_and_answered_texts_fit_one_segment_for_every_unit(db):
    case = make_case(notify=True)
    for unit in db.session.scalars(select(Unit)):
        case.unit = unit
        for purpose in ("received", "routed", "accepted", "late", "answered", "rejected"):
            body = sms_text(purpose, case)
            assert sms.is_gsm7(body) and sms.septets(body) <= 160, body
            assert trackcode.display(case.code) in body or case.code in body


def test_queue_for_routed_and_answered_later(db, fake_twilio):
    case = make_case(notify=True)
    notify.queue(case, "answered")
    db.session.commit()
    notify.dispatch_pending(case)
    assert "da co tra loi" in fake_twilio.sent[-1]["Body"]
