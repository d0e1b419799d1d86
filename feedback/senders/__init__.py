"""Outbound SMS senders behind a small registry: `twilio` when credentials are
configured, otherwise `log` (writes the message to the log; nothing leaves)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import current_app


@dataclass(frozen=True)
class SendResult:
    status: str                    # sent | failed | unknown (no answer: never resend blindly)
    sid: str | None = None
    error_code: str | None = None
    error_message: str | None = None


class Sender(Protocol):
    name: str

    def send(self, to: str, body: str, from_: str | None, status_callback: str | None) -> SendResult:
        ...


def _registry() -> dict[str, type]:
    from .log import LogSender
    from .twilio import TwilioSender

    return {"twilio": TwilioSender, "log": LogSender}


def default_name() -> str:
    configured = current_app.config.get("SMS_SENDER")
    if configured:
        return configured
    return "twilio" if current_app.config["TWILIO_ACCOUNT_SID"] else "log"


def get(name: str) -> Sender:
    return _registry()[name]()
