"""The local SMS gateway: signed JSON in, the reply in the JSON answer."""
import hashlib
import hmac
import json

import pytest
from sqlalchemy import func, select

from feedback.domain import trackcode
from feedback.models import Case, InboundMessage

PATH = "/hotline/gateway/sms"
SECRET = b"gateway-secret-for-tests"


def post(client, payload, secret=SECRET, header=None):
    raw = json.dumps(payload, ensure_ascii=False).encode()
    signature = header if header is not None else "sha256=" + hmac.new(secret, raw, hashlib.sha256).hexdigest()
    return client.post(PATH, data=raw, content_type="application/json",
                       headers={"X-Gateway-Signature": signature})


def message(**changes):
    payload = {"id": "gw-0001", "from": "0912345678", "to": "0888801247",
               "text": "Đường Thùy Vân đoạn gần bãi Sau bị ngập nặng sau mưa.",
               "received_at": "2026-11-27T08:15:00+07:00"}
    payload.update(changes)
    return payload


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_signed_message_makes_a_case_and_answers_the_reply(client, db):
    response = post(client, message())
    assert response.status_code == 200
    case = db.session.scalars(select(Case)).one()
    assert trackcode.display(case.code) in response.get_json()["reply"]
    assert case.hotline.code == "hl-citizen" and case.channel == "sms"
    assert case.reporter.phone == "+84912345678"
    assert case.received_at.isoformat() == "2026-11-27T01:15:00+00:00"
    assert db.session.scalars(select(InboundMessage)).one().provider == "gateway"


def test_same_id_twice_answers_the_same_and_creates_nothing(client, db):
    first = post(client, message()).get_json()
    second = post(client, message()).get_json()
    assert first == second and count(db, Case) == 1


def test_ids_are_per_provider(client, db):
    from tests.fakes import webhooks
    from tests.fakes.webhooks import sms_params

    post(client, message(id="SM123"))
    webhooks.post(client, "/hotline/sms", sms_params("Một phản ánh khác qua Twilio có cùng mã.",
                                                     MessageSid="SM123"))
    assert count(db, InboundMessage) == 2


@pytest.mark.parametrize("header", ["", "sha256=00", "deadbeef"])
def test_bad_signature_is_refused(client, db, header):
    assert post(client, message(), header=header).status_code == 403
    assert count(db, Case) == 0


def test_signed_with_another_secret_is_refused(client, db):
    assert post(client, message(), secret=b"wrong").status_code == 403


def test_tampered_body_is_refused(client, db):
    raw = json.dumps(message()).encode()
    signature = "sha256=" + hmac.new(SECRET, raw, hashlib.sha256).hexdigest()
    tampered = raw.replace(b"0912345678", b"0987654321")
    response = client.post(PATH, data=tampered, content_type="application/json",
                           headers={"X-Gateway-Signature": signature})
    assert response.status_code == 403


@pytest.mark.parametrize("payload", [message(id=""), message(received_at="hôm qua"), ["not", "an", "object"]])
def test_malformed_payload_is_a_clear_400(client, db, payload):
    response = post(client, payload)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["code"] == "invalid"
    assert count(db, Case) == 0
