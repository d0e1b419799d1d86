"""POST /hotline/sms (Twilio inbound SMS) and /hotline/sms/status (delivery reports)."""
from __future__ import annotations

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse

from ..channels import hotlines
from ..channels.twilio_auth import twilio_signed
from ..services import notify
from ..services.hotline import sms as sms_intake
from . import twiml

bp = Blueprint("hotline_sms", __name__, url_prefix="/hotline/sms")


def _media(form) -> list[dict]:
    count = int(form.get("NumMedia", "0") or 0)
    return [{"url": form.get(f"MediaUrl{i}", ""), "content_type": form.get(f"MediaContentType{i}", "")}
            for i in range(min(count, 10)) if form.get(f"MediaUrl{i}")]


@bp.post("")
@twilio_signed
def inbound():
    form = request.form
    reply = sms_intake.receive(sms_intake.InboundSms(
        provider="twilio", external_id=form.get("MessageSid") or form.get("SmsSid", ""),
        from_number=form.get("From", ""), to_number=form.get("To", ""),
        body=form.get("Body", ""), media=_media(form),
        hotline=hotlines.identify(form.get("To"), form.get("ForwardedFrom")),
    ))
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return twiml(response)


@bp.post("/status")
@twilio_signed
def status_callback():
    form = request.form
    sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "")
    if sid and status:
        notify.delivery_status(sid, status, form.get("ErrorCode"))
    return Response(status=204)
