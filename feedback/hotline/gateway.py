"""POST /hotline/gateway/sms: inbound SMS from a local aggregator.

Twilio carries no two-way SMS inside Vietnam, so a local gateway may deliver
messages instead. The body is JSON {id, from, to, text, received_at}, signed
with HMAC-SHA256 of the raw body under SMS_GATEWAY_SECRET, sent hex-encoded in
the X-Gateway-Signature header ("sha256=<hex>" or the bare hex). The answer is
JSON {"reply": text}: the gateway texts it back to the sender.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, jsonify, request

from ..channels import hotlines
from ..services.hotline import sms as sms_intake

bp = Blueprint("hotline_gateway", __name__, url_prefix="/hotline/gateway")
HEADER = "X-Gateway-Signature"


def _signature_ok(raw: bytes) -> bool:
    secret = current_app.config["SMS_GATEWAY_SECRET"]
    given = request.headers.get(HEADER, "").removeprefix("sha256=").strip().lower()
    if not secret or not given:
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


def _received_at(value) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@bp.post("/sms")
def inbound():
    raw = request.get_data(cache=True)
    if not _signature_ok(raw):
        abort(403)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(key), str) and payload.get(key) for key in ("id", "from", "to")
    ):
        return jsonify(errors=[{"code": "invalid", "description": "id, from and to are required"}]), 400
    try:
        received_at = _received_at(payload.get("received_at"))
    except ValueError:
        return jsonify(errors=[{"code": "invalid", "description": "received_at is not ISO 8601"}]), 400
    reply = sms_intake.receive(sms_intake.InboundSms(
        provider="gateway", external_id=payload["id"][:64], from_number=payload["from"],
        to_number=payload["to"], body=str(payload.get("text") or ""),
        hotline=hotlines.identify(payload["to"]), received_at=received_at,
    ))
    return jsonify(reply=reply)
