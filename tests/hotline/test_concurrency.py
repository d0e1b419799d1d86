"""Redeliveries at the same moment: real threads against the app, each with its
own client, released together. Every copy gets the winner's answer (never a
500), and exactly one copy takes effect. Runs on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import xml.etree.ElementTree as ET

from sqlalchemy import func, select

from feedback.models import (
    Call, CallbackItem, Case, CaseEvent, InboundMessage, OutboundMessage, Recording, WebhookReceipt,
)
from tests.factories import make_case
from tests.fakes import webhooks

COPIES = 20
SECRET = b"gateway-secret-for-tests"


def at_once(app, requests) -> list:
    """Run each `request(client)` in its own thread, all released together."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int, request) -> None:
        client = app.test_client()
        barrier.wait()
        try:
            response = request(client)
            results[index] = (response.status_code, response.get_data(as_text=True))
        except Exception as exc:  # an exception escaping the app is a failure too
            results[index] = (type(exc).__name__, str(exc))

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def count(db, model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_twenty_copies_of_one_sms_at_once_make_one_case_and_the_same_reply(app, db):
    params = webhooks.sms_params("Đèn đường trước nhà số 5 Ba Cu hỏng đã một tuần rồi.")
    results = at_once(app, [lambda c: webhooks.post(c, "/hotline/sms", params)] * COPIES)
    assert {status for status, _ in results} == {200}, results
    replies = {ET.fromstring(body).find("Message").text for _, body in results}
    assert len(replies) == 1
    case = db.session.scalars(select(Case)).one()
    assert case.code[:4] in replies.pop().replace(" ", "")
    assert count(db, InboundMessage) == 1


def _gateway(client, payload):
    raw = json.dumps(payload, ensure_ascii=False).encode()
    signature = "sha256=" + hmac.new(SECRET, raw, hashlib.sha256).hexdigest()
    return client.post("/hotline/gateway/sms", data=raw, content_type="application/json",
                       headers={"X-Gateway-Signature": signature})


def test_twenty_copies_of_one_gateway_message_at_once(app, db):
    payload = {"id": "gw-race-1", "from": "0912345678", "to": "0888801247",
               "text": "Đường Thùy Vân đoạn gần bãi Sau bị ngập nặng sau mưa."}
    results = at_once(app, [lambda c: _gateway(c, payload)] * COPIES)
    assert {status for status, _ in results} == {200}, results
    assert len({json.loads(body)["reply"] for _, body in results}) == 1
    assert (count(db, Case), count(db, InboundMessage)) == (1, 1)


def test_messages_sent_together_by_one_number_make_one_thread(app, db):
    """Different messages from one sender at once: one case, the others join it."""
    texts = [f"Phản ánh số {i}: rác thải đổ bừa bãi ở hẻm 12 đường Lê Lợi." for i in range(8)]
    results = at_once(app, [
        (lambda c, t=t: webhooks.post(c, "/hotline/sms", webhooks.sms_params(t))) for t in texts])
    assert {status for status, _ in results} == {200}, results
    assert count(db, Case) == 1
    assert count(db, CaseEvent, CaseEvent.action == "sms_added") == 7
    assert count(db, InboundMessage) == 8


def test_twenty_copies_of_one_recording_at_once_make_one_case(app, db, fake_twilio):
    call = webhooks.call_params()
    sid = webhooks.sid("RE")
    params = {**call, "RecordingSid": sid, "RecordingDuration": "42", "CallStatus": "in-progress",
              "RecordingUrl": f"{fake_twilio.base_url}/2010-04-01/Accounts/AC/Recordings/{sid}"}
    results = at_once(app, [lambda c: webhooks.post(c, "/hotline/voice/recorded", params)] * COPIES)
    assert {status for status, _ in results} == {200}, results
    spoken = {" ".join(s.text for s in ET.fromstring(body).iter("Say")) for _, body in results}
    assert len(spoken) == 1
    case = db.session.scalars(select(Case)).one()
    assert case.code[-1] in spoken.pop()
    assert (count(db, Call), count(db, Recording)) == (1, 1)


def test_a_status_callback_racing_the_recording_leaves_the_call_off_the_list(app, db, fake_twilio):
    """The caller recorded feedback and hung up: both webhooks arrive at once,
    in either order. The call made a case, so nobody must call back."""
    call = webhooks.call_params()
    webhooks.post(app.test_client(), "/hotline/voice/menu", {**call, "Digits": "1"})
    sid = webhooks.sid("RE")
    recorded = {**call, "RecordingSid": sid, "RecordingDuration": "30",
                "RecordingUrl": f"{fake_twilio.base_url}/2010-04-01/Accounts/AC/Recordings/{sid}"}
    ended = {**call, "CallStatus": "completed", "CallDuration": "40"}
    results = at_once(app, [lambda c: webhooks.post(c, "/hotline/voice/recorded", recorded),
                            lambda c: webhooks.post(c, "/hotline/voice/status", ended)] * 5)
    assert {status for status, _ in results} <= {200, 204}, results
    assert count(db, Case) == 1
    assert count(db, CallbackItem, CallbackItem.done_at.is_(None)) == 0


def test_twenty_copies_of_a_call_status_callback_at_once(app, db):
    params = webhooks.call_params(CallStatus="no-answer", CallDuration="0")
    results = at_once(app, [lambda c: webhooks.post(c, "/hotline/voice/status", params)] * COPIES)
    assert {status for status, _ in results} == {204}, results
    assert (count(db, Call), count(db, CallbackItem), count(db, WebhookReceipt)) == (1, 1, 1)


def test_twenty_copies_of_an_sms_status_callback_at_once(app, db):
    case = make_case(notify=True)
    message = db.session.scalars(select(OutboundMessage).filter_by(case_id=case.id)).first()
    message.provider_sid = webhooks.sid("SM")
    db.session.commit()
    params = {"MessageSid": message.provider_sid, "MessageStatus": "delivered",
              "AccountSid": "AC" + "0" * 32}
    results = at_once(app, [lambda c: webhooks.post(c, "/hotline/sms/status", params)] * COPIES)
    assert {status for status, _ in results} == {204}, results
    assert count(db, WebhookReceipt) == 1
    db.session.refresh(message)
    assert message.status == "delivered"
