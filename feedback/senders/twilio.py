"""Twilio: the REST client (with another base URL for a fake Twilio in tests),
outbound SMS, and fetching media and recordings with the account's credentials."""
from __future__ import annotations

from urllib.parse import urlsplit

import requests
from flask import current_app
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from . import SendResult

def client() -> Client:
    config = current_app.config
    twilio = Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"],
                    http_client=TwilioHttpClient(timeout=config["TWILIO_TIMEOUT"]))
    if config["TWILIO_API_BASE"]:
        twilio.api.base_url = config["TWILIO_API_BASE"].rstrip("/")
    return twilio


def _timed_out(exc: BaseException) -> bool:
    cause = exc
    while cause is not None:
        if isinstance(cause, (requests.Timeout, TimeoutError)):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


class TwilioSender:
    name = "twilio"

    def send(self, to, body, from_=None, status_callback=None) -> SendResult:
        params = {"to": to, "body": body}
        if from_:
            params["from_"] = from_
        if status_callback:
            params["status_callback"] = status_callback
        try:
            message = client().messages.create(**params)
        except TwilioRestException as exc:
            return SendResult("failed", error_code=str(exc.code or exc.status), error_message=exc.msg)
        except (TwilioException, requests.RequestException) as exc:
            # No answer, or an answer we could not read: the message may have gone.
            status = "unknown" if _timed_out(exc) or isinstance(exc, requests.ConnectionError) else "failed"
            return SendResult(status, error_code="timeout" if status == "unknown" else "error",
                              error_message=str(exc)[:500])
        return SendResult("sent", sid=message.sid)


def api_host() -> str:
    base = current_app.config["TWILIO_API_BASE"] or "https://api.twilio.com"
    return urlsplit(base).netloc


def fetch(url: str) -> tuple[str, bytes]:
    """GET a media or recording URL with the account's credentials.

    The credentials are only ever sent to the Twilio API host (or the configured
    fake), never to a URL elsewhere.
    """
    parts = urlsplit(url)
    if parts.netloc != api_host() or parts.scheme not in ("https", "http"):
        raise ValueError(f"refusing to fetch {url!r} with Twilio credentials")
    config = current_app.config
    response = requests.get(url, auth=(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"]),
                            timeout=config["TWILIO_TIMEOUT"])
    response.raise_for_status()
    return response.headers.get("Content-Type", "application/octet-stream"), response.content
