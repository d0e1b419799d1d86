"""Hotline webhooks: Twilio SMS and voice, and the local SMS gateway.
Each authenticates the request, records it idempotently, and answers fast."""
from flask import Blueprint, Response
from twilio.twiml import TwiML

from .params import BadField


def twiml(response: TwiML) -> Response:
    """A TwiML document as Twilio expects it."""
    return Response(str(response), mimetype="text/xml")


def refuse_bad_fields(bp: Blueprint) -> None:
    """A value out of range or shape is a 400 that names the field (Twilio logs
    the answer in its debugger), never a 500."""

    @bp.errorhandler(BadField)
    def bad_field(error: BadField):
        return Response(f"400 Bad Request: {error}\n", status=400, mimetype="text/plain")
