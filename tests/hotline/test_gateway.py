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


def test_ids_are_stored_whole_so_a_shared_prefix_is_two_messages(client, db):
    prefix = "gw-" + "7" * 61
    first = post(client, message(id=prefix + "-a")).get_json()["reply"]
    second = post(client, message(id=prefix + "-b", **{"from": "0987654321"},
                                  text="Quán karaoke số 9 Hoàng Hoa Thám hát đến 1 giờ sáng.")).get_json()["reply"]
    assert count(db, Case) == 2 and count(db, InboundMessage) == 2
    codes = [trackcode.display(c.code) for c in db.session.scalars(select(Case).order_by(Case.id))]
    assert codes[0] in first and codes[1] in second     # each sender told their own code
    stored = db.session.scalars(select(InboundMessage.external_id).order_by(InboundMessage.id)).all()
    assert stored == [prefix + "-a", prefix + "-b"]


def test_an_id_at_the_limit_is_taken_and_over_it_refused(client, db):
    assert post(client, message(id="g" * 200)).status_code == 200
    response = post(client, message(id="g" * 201))
    assert response.status_code == 400 and "id" in response.get_json()["errors"][0]["description"]
    assert count(db, InboundMessage) == 1


def _now(**delta):
    from datetime import datetime, timedelta, timezone

    return (datetime.now(timezone.utc) + timedelta(**delta)).isoformat()


@pytest.mark.parametrize("received_at", [
    "0001-01-01T00:00:00+07:00", "1900-01-01T08:00:00+07:00", "9999-12-31T23:59:59-07:00",
    "9999-12-31T23:59:59", "2000-01-01", {"days": -8}, {"hours": 1}, 12345, "ngày mai",
])  # times relative to now are made in the test: every test process must collect the same ids
def test_received_at_outside_a_sane_window_is_refused(client, db, received_at):
    if isinstance(received_at, dict):
        received_at = _now(**received_at)
    response = post(client, message(received_at=received_at))
    assert response.status_code == 400
    assert "received_at" in response.get_json()["errors"][0]["description"]
    assert count(db, Case) == 0


def test_received_at_a_day_ago_counts_the_deadline_from_then(client, db):
    assert post(client, message(received_at=_now(days=-1))).status_code == 200
    assert count(db, Case) == 1


@pytest.mark.parametrize("header", ["sha256=đ", "sha256=" + "é" * 64, "\u00a0"])
def test_a_non_ascii_signature_is_refused_not_a_500(client, db, header):
    raw = json.dumps(message()).encode()
    response = client.post(PATH, data=raw, content_type="application/json",
                           headers={"X-Gateway-Signature": header.encode().decode("latin-1")})
    assert response.status_code == 403


def _signed(client, raw: bytes):
    signature = "sha256=" + hmac.new(SECRET, raw, hashlib.sha256).hexdigest()
    return client.post(PATH, data=raw, content_type="application/json",
                       headers={"X-Gateway-Signature": signature})


@pytest.mark.parametrize("raw", [
    b"[" * 30_000 + b"]" * 30_000,
    b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    b"\xff\xfe not utf-8",
    json.dumps(message(text="Đường ngập \ud800 nặng sau mưa ở phường 7.")).encode(),
    json.dumps(message(id="gw-\ud800")).encode(),
    json.dumps(message(text="x" * 10_001)).encode(),
    json.dumps(message(text=12345)).encode(),
    json.dumps(message(id=2**63)).encode(),
    json.dumps(message(**{"from": "0" * 33})).encode(),
    json.dumps(message(id="gw\x00nul")).encode(),
])
def test_hostile_bodies_are_a_clear_400(client, db, raw):
    response = _signed(client, raw)
    assert response.status_code == 400, response.get_data()
    assert response.get_json()["errors"][0]["code"] == "invalid"
    assert count(db, InboundMessage) == 0


@pytest.mark.parametrize("raw", [json.dumps(message(text="a" * 20_000_000)).encode(),
                                 b"[" * 100_000 + b"]" * 100_000])
def test_a_body_over_64_kib_is_refused_unread(client, db, raw):
    response = _signed(client, raw)
    assert response.status_code == 413
    assert response.get_json()["errors"][0]["code"] == "too_large"
    assert count(db, InboundMessage) == 0
