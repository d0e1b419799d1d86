"""Signed Twilio webhook requests, replayed as Twilio sends them."""
from __future__ import annotations

import secrets

from twilio.request_validator import RequestValidator

from .twilio_server import ACCOUNT_SID, AUTH_TOKEN

PUBLIC_BASE_URL = "https://phananh.vungtau.example"


def sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def sign(path: str, params: dict, token: str = AUTH_TOKEN, base: str = PUBLIC_BASE_URL) -> str:
    return RequestValidator(token).compute_signature(base + path, params)


def post(client, path: str, params: dict, *, signature: str | None = None, headers=None):
    """POST form-encoded params with a valid signature unless one is given."""
    all_headers = {"X-Twilio-Signature": signature if signature is not None else sign(path, params)}
    all_headers.update(headers or {})
    return client.post(path, data=params, headers=all_headers)


def sms_params(body: str, from_: str = "+84912345678", to: str = "+84888801247", **extra) -> dict:
    """Every field Twilio sends with an inbound SMS."""
    message_sid = extra.pop("MessageSid", None) or sid("SM")
    params = {
        "ToCountry": "VN", "ToState": "", "SmsMessageSid": message_sid, "NumMedia": "0",
        "ToCity": "", "FromZip": "", "SmsSid": message_sid, "FromState": "", "SmsStatus": "received",
        "FromCity": "", "Body": body, "FromCountry": "VN", "To": to, "ToZip": "",
        "NumSegments": "1", "MessageSid": message_sid, "AccountSid": ACCOUNT_SID, "From": from_,
        "ApiVersion": "2010-04-01",
    }
    params.update(extra)
    return params


def call_params(from_: str = "+84912345678", to: str = "+84888801247", **extra) -> dict:
    """Every field Twilio sends when a call comes in."""
    params = {
        "AccountSid": ACCOUNT_SID, "ApiVersion": "2010-04-01", "CallSid": extra.pop("CallSid", None) or sid("CA"),
        "CallStatus": "ringing", "Called": to, "CalledCity": "", "CalledCountry": "VN",
        "CalledState": "", "CalledZip": "", "Caller": from_, "CallerCity": "", "CallerCountry": "VN",
        "CallerState": "", "CallerZip": "", "Direction": "inbound", "From": from_, "FromCity": "",
        "FromCountry": "VN", "FromState": "", "FromZip": "", "To": to, "ToCity": "",
        "ToCountry": "VN", "ToState": "", "ToZip": "",
    }
    params.update(extra)
    return params
