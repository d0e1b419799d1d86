"""Outbound senders behind a small registry, per channel.

SMS: `twilio` when credentials are configured, otherwise `log`. E-mail: `smtp`
when SMTP_URL is set, otherwise `log`. A `log` sender writes a line to the log
(with the recipient masked) and sends nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import current_app

SMS, EMAIL = "sms", "email"


@dataclass(frozen=True)
class SendResult:
    status: str                    # sent | failed | unknown (no answer: never resend blindly)
    sid: str | None = None
    error_code: str | None = None
    error_message: str | None = None


class SmsSender(Protocol):
    name: str

    def send(self, to: str, body: str, from_: str | None, status_callback: str | None) -> SendResult:
        ...


class EmailSender(Protocol):
    name: str

    def send(self, to: str, subject: str, body: str) -> SendResult:
        ...


def masked(address: str | None) -> str:
    """A phone number or e-mail address as a log line may show it: enough to
    tell two apart, not enough to contact anyone ('+849…678', 'a…@example.vn')."""
    if not address:
        return ""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}…@{domain}"
    return f"{address[:4]}…{address[-3:]}"


def _registry() -> dict[tuple[str, str], type]:
    from .email import LogEmailSender, SmtpSender
    from .log import LogSender
    from .twilio import TwilioSender

    return {(SMS, "twilio"): TwilioSender, (SMS, "log"): LogSender,
            (EMAIL, "smtp"): SmtpSender, (EMAIL, "log"): LogEmailSender}


def default_name(channel: str = SMS) -> str:
    config = current_app.config
    if channel == EMAIL:
        return "smtp" if config.get("SMTP_URL") else "log"
    if config.get("SMS_SENDER"):
        return config["SMS_SENDER"]
    return "twilio" if config["TWILIO_ACCOUNT_SID"] else "log"


def get(name: str, channel: str = SMS):
    return _registry()[(channel, name)]()
