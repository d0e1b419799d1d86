"""POST /hotline/gateway/sms: inbound SMS from a local aggregator.

Twilio carries no two-way SMS inside Vietnam, so a local gateway may deliver
messages instead. The body is JSON {id, from, to, text, received_at}, signed
with HMAC-SHA256 of the raw body under SMS_GATEWAY_SECRET, sent hex-encoded in
the X-Gateway-Signature header ("sha256=<hex>" or the bare hex). The answer is
JSON {"reply": text}: the gateway texts it back to the sender.

Everything is bounded before it is believed (README, "The SMS gateway"): the
body's size, the JSON's depth, each field's length and Unicode, and the time
the message says it was received, so that a deadline is never counted from
1900. A refusal is 400 (413 for a body too large) with the field named.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..channels import hotlines
from ..models.types import utcnow
from ..services.hotline import sms as sms_intake
from . import params

bp = Blueprint("hotline_gateway", __name__, url_prefix="/hotline/gateway")
HEADER = "X-Gateway-Signature"
MAX_BODY = 64 * 1024
# A gateway may hold messages through an outage, never for long; clocks drift a little.
MAX_AGE = timedelta(days=7)
MAX_AHEAD = timedelta(minutes=10)


@bp.errorhandler(params.BadField)
def bad_field(error: params.BadField):
    return jsonify(errors=[{"code": "invalid", "description": str(error)}]), 400


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    description = f"the body is larger than {MAX_BODY // 1024} KiB"
    return jsonify(errors=[{"code": "too_large", "description": description}]), 413


def _signature_ok(raw: bytes) -> bool:
    secret = current_app.config["SMS_GATEWAY_SECRET"]
    given = request.headers.get(HEADER, "").removeprefix("sha256=").strip().lower()
    if not secret or not given or not given.isascii():
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.encode())


def _received_at(value) -> datetime | None:
    """The moment the message reached the gateway, within a sane window around now."""
    value = params.text(value, "received_at", 40, line=True)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        moment = moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise params.BadField("received_at", "is not an ISO 8601 time") from None
    now = utcnow()
    if not now - MAX_AGE <= moment <= now + MAX_AHEAD:
        raise params.BadField("received_at", "is more than 7 days old or in the future")
    return moment


def _payload(raw: bytes) -> dict:
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        raise params.BadField("body", "is not JSON (or is nested too deeply)") from None
    if not isinstance(payload, dict):
        raise params.BadField("body", "must be a JSON object")
    return payload


def _message(payload: dict) -> sms_intake.InboundSms:
    external_id = params.text(payload.get("id"), "id", params.MAX_GATEWAY_ID, line=True)
    from_number = params.phone(payload.get("from"), "from")
    to_number = params.phone(payload.get("to"), "to")
    if not (external_id and from_number and to_number):
        raise params.BadField("id, from, to", "are required")
    return sms_intake.InboundSms(
        provider="gateway", external_id=external_id, from_number=from_number,
        to_number=to_number, body=params.text(payload.get("text"), "text"),
        hotline=hotlines.identify(to_number), received_at=_received_at(payload.get("received_at")),
    )


@bp.post("/sms")
def inbound():
    request.max_content_length = MAX_BODY  # a larger body is refused with 413 unread
    raw = request.get_data(cache=True)
    if not _signature_ok(raw):
        abort(403)
    return jsonify(reply=sms_intake.receive(_message(_payload(raw))))
