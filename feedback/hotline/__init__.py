"""Hotline webhooks: Twilio SMS and voice, and the local SMS gateway.
Each authenticates the request, records it idempotently, and answers fast."""
from flask import Response
from twilio.twiml import TwiML


def twiml(response: TwiML) -> Response:
    """A TwiML document as Twilio expects it."""
    return Response(str(response), mimetype="text/xml")
