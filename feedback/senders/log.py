"""An SMS sender that only logs: the default when no SMS provider is configured."""
from __future__ import annotations

import secrets

from flask import current_app

from . import SendResult, masked


class LogSender:
    name = "log"

    def send(self, to, body, from_=None, status_callback=None) -> SendResult:
        current_app.logger.info("SMS to %s (not sent, log sender): %s", masked(to), body)
        return SendResult("sent", sid=f"LOG{secrets.token_hex(15)}")
