"""POST /hotline/sms (Twilio inbound SMS) and /hotline/sms/status (delivery reports)."""
from __future__ import annotations

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse

from ..channels.twilio_auth import twilio_signed
from ..services import notify, orgdata
from ..services.hotline import sms as sms_intake
from . import params, refuse_bad_fields, twiml

bp = Blueprint("hotline_sms", __name__, url_prefix="/hotline/sms")
refuse_bad_fields(bp)


def _media(form) -> list[dict]:
    count = params.number(form.get("NumMedia"), "NumMedia", params.MAX_MEDIA) or 0
    media = [{"url": params.url(form.get(f"MediaUrl{i}"), f"MediaUrl{i}"),
              "content_type": params.text(form.get(f"MediaContentType{i}"),
                                          f"MediaContentType{i}", 100, line=True)}
             for i in range(count)]
    return [item for item in media if item["url"]]


def _message(form) -> sms_intake.InboundSms:
    sid = form.get("MessageSid") or form.get("SmsSid")
    to_number = params.phone(form.get("To"), "To")
    forwarded = params.phone(form.get("ForwardedFrom"), "ForwardedFrom")
    return sms_intake.InboundSms(
        provider="twilio", external_id=params.provider_id(sid, "MessageSid"),
        from_number=params.phone(form.get("From"), "From"), to_number=to_number,
        body=params.text(form.get("Body"), "Body"), media=_media(form),
        hotline=orgdata.current().hotline_for(to_number, forwarded),  # kept per process
    )


@bp.post("")
@twilio_signed
def inbound():
    reply = sms_intake.receive(_message(request.form))
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return twiml(response)


@bp.post("/status")
@twilio_signed
def status_callback():
    form = request.form
    sid = params.provider_id(form.get("MessageSid"), "MessageSid", required=False)
    status = params.word(form.get("MessageStatus"), "MessageStatus")
    error_code = params.number(form.get("ErrorCode"), "ErrorCode", 10**9 - 1)
    if sid and status:
        notify.delivery_status(sid, status, str(error_code) if error_code is not None else None)
    return Response(status=204)
