"""E-mail senders: `smtp` when SMTP_URL is set (smtp://user:pass@host:587 with
STARTTLS when the server offers it, smtps://… for TLS from the start), else
`log`, which writes a line to the log and sends nothing."""
from __future__ import annotations

import secrets
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app

from . import SendResult, masked


class SmtpSender:
    name = "smtp"

    def send(self, to: str, subject: str, body: str) -> SendResult:
        config = current_app.config
        url = urlsplit(config["SMTP_URL"])
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = config["MAIL_FROM"], to, subject
        message["Message-ID"] = make_msgid(domain=url.hostname or "localhost")
        message.set_content(body)
        try:
            with _connect(url, config["SMTP_TIMEOUT"]) as smtp:
                if url.username:
                    smtp.login(unquote(url.username), unquote(url.password or ""))
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            # A refused recipient or a server error: recorded, never retried blindly.
            status = "unknown" if isinstance(exc, (TimeoutError, smtplib.SMTPServerDisconnected)) else "failed"
            return SendResult(status, error_code=_code(exc), error_message=str(exc)[:500])
        return SendResult("sent")


def _code(exc: Exception) -> str:
    """The SMTP reply code when there is one (550…), else what kind of failure."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return str(next(iter(exc.recipients.values()))[0])
    if isinstance(exc, smtplib.SMTPResponseException):
        return str(exc.smtp_code)
    return "timeout" if isinstance(exc, TimeoutError) else "connection"


def _connect(url, timeout: float) -> smtplib.SMTP:
    host, port = url.hostname or "localhost", url.port
    if url.scheme == "smtps":
        return smtplib.SMTP_SSL(host, port or 465, timeout=timeout,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(host, port or 25, timeout=timeout)
    smtp.ehlo()
    if smtp.has_extn("starttls"):
        smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo()
    return smtp


class LogEmailSender:
    name = "log"

    def send(self, to: str, subject: str, body: str) -> SendResult:
        current_app.logger.info("E-mail to %s (not sent, log sender): %s", masked(to), subject)
        return SendResult("sent", sid=f"LOG{secrets.token_hex(15)}")
