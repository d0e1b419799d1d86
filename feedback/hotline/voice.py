"""The Vietnamese voice menu (IVR) of the hotlines, and its Twilio callbacks.

Every route is POSTed by Twilio and signed. Twilio plays whatever TwiML it gets
and hangs up on an error, so every answer is TwiML, never a 500. The spoken
words are templates under templates/voice/, rendered in Vietnamese whatever the
request says (callers are Vietnamese), with the configured Google vi-VN voice.
The use cases are in services/calls.py; this module parses and builds TwiML.

  ""                 a call comes in: record it, play the menu
  /menu              the key: 1 feedback, 2 case status, 0 or none an operator
  /topic             what the feedback is about, in a few spoken words: then record
  /recorded          the feedback recording: a new case, its code read back
  /code              a tracking code keyed in: the case's status
  /dial-result       the dial to the operators ended: voicemail unless answered
  /voicemail         the voicemail recording: onto the call-back list
  /status            the call's status callback (set it on the Twilio number)
  /recording-status  recording status callbacks
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, request, url_for
from flask_babel import force_locale
from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from ..channels.twilio_auth import twilio_signed
from ..domain import trackcode
from ..domain.office_hours import OfficeHours
from ..extensions import db
from ..i18n import STATE_LABELS
from ..services.public.status import CaseStatus
from ..services.hotline import calls
from . import params, refuse_bad_fields, twiml

bp = Blueprint("hotline_voice", __name__, url_prefix="/hotline/voice")
refuse_bad_fields(bp)

MENU_TIMEOUT = 6          # seconds of silence before the menu falls through to 0
CODE_TIMEOUT = 15
MAX_TRIES = 3
FEEDBACK_MAX_SECONDS = 180
VOICEMAIL_MAX_SECONDS = 120
DIAL_TIMEOUT = 25
TOPIC_TIMEOUT = 5         # seconds of silence before recording without a topic
SPEECH_LANGUAGE = "vi-VN"


def _voice() -> calls.VoiceSettings:
    """The configured voice, read once per request."""
    if "voice_settings" not in g:
        g.voice_settings = calls.voice_settings()
    return g.voice_settings


def spoken(template: str, **context) -> str:
    """A voice template in Vietnamese, on one line."""
    with force_locale("vi"):
        text = render_template(f"voice/{template}.txt", **context)
    return " ".join(text.split())


def _say(verb: TwiML, template: str, voice: calls.VoiceSettings | None = None, **context) -> None:
    voice = voice or _voice()
    verb.say(spoken(template, **context), voice=voice.name, language=voice.language)


def _url(endpoint: str, **values) -> str:
    """Absolute, on the public address Twilio signs its requests for."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _attempt() -> int:
    return max(1, min(_int(request.args.get("attempt")) or 1, MAX_TRIES))


def _ref(form: MultiDict) -> calls.CallRef:
    return calls.CallRef(
        call_sid=params.provider_id(form.get("CallSid"), "CallSid"),
        from_number=params.phone(form.get("From"), "From"),
        to_number=params.phone(form.get("To"), "To"),
        called=params.phone(form.get("Called"), "Called"),
        forwarded_from=params.phone(form.get("ForwardedFrom"), "ForwardedFrom"),
    )


def _seconds(form: MultiDict, name: str) -> int | None:
    return params.number(form.get(name), name, params.MAX_SECONDS)


def _recording(form: MultiDict) -> calls.RecordingIn | None:
    """The recording a <Record> action reports, or None if nothing was recorded."""
    sid = params.provider_id(form.get("RecordingSid"), "RecordingSid", required=False)
    url = params.url(form.get("RecordingUrl"), "RecordingUrl")
    duration = _seconds(form, "RecordingDuration")
    if not sid or not url or duration == 0:
        return None
    return calls.RecordingIn(_ref(form), sid, url, duration)


def _digits(code: str) -> str:
    """'2, 4, 1, 7. 3, 0, …': the voice reads a code digit by digit, not as a
    number, with a longer pause between the groups printed on paper."""
    return ". ".join(", ".join(group) for group in trackcode.groups(code))


# TwiML pieces -------------------------------------------------------------------

def _menu(response: VoiceResponse, attempt: int = 1, welcome: bool = True) -> None:
    if welcome:
        _say(response, "welcome")
    action = _url(".menu", attempt=attempt)
    gather = response.gather(input="dtmf", num_digits=1, timeout=MENU_TIMEOUT,
                             action=action, method="POST")
    _say(gather, "menu")
    response.redirect(action, method="POST")  # no key: /menu without Digits, as 0


def _back_to_menu(response: VoiceResponse) -> None:
    response.redirect(_url(".inbound", again=1), method="POST")


def _ask_topic(response: VoiceResponse) -> None:
    """A few spoken words on what the feedback is about, recognised by Twilio
    (vi-VN): the case is routed by them, as a typed text would be."""
    action = _url(".topic")
    gather = response.gather(input="speech", language=SPEECH_LANGUAGE, speech_timeout="auto",
                             timeout=TOPIC_TIMEOUT, action=action, method="POST")
    _say(gather, "topic_prompt")
    response.redirect(action, method="POST")  # nothing said: record all the same


def _record_feedback(response: VoiceResponse) -> None:
    _say(response, "record_prompt", minutes=FEEDBACK_MAX_SECONDS // 60)
    response.record(action=_url(".recorded"), method="POST", max_length=FEEDBACK_MAX_SECONDS,
                    play_beep=True, recording_status_callback=_url(".recording_status"),
                    recording_status_callback_method="POST")
    _say(response, "nothing_recorded")  # reached only if nothing was recorded
    _back_to_menu(response)


def _ask_code(response: VoiceResponse, attempt: int) -> None:
    action = _url(".code", attempt=attempt)
    # Up to 12 digits; an older 10-digit code ends with # (or a pause).
    gather = response.gather(input="dtmf", num_digits=trackcode.LENGTH, finish_on_key="#",
                             timeout=CODE_TIMEOUT, action=action, method="POST")
    _say(gather, "code_prompt")
    response.redirect(action, method="POST")  # nothing keyed: a wrong try


def _voicemail(response: VoiceResponse, reason: str, hours: OfficeHours | None = None) -> None:
    _say(response, "voicemail_prompt", reason=reason, hours=hours)
    response.record(action=_url(".voicemail"), method="POST", max_length=VOICEMAIL_MAX_SECONDS,
                    play_beep=True, recording_status_callback=_url(".recording_status"),
                    recording_status_callback_method="POST")
    _say(response, "goodbye")
    response.hangup()


def _operator(response: VoiceResponse, route: calls.OperatorRoute) -> None:
    if route.dial is None:
        _voicemail(response, route.reason, route.hours)
        return
    _say(response, "connecting")
    response.dial(route.dial, action=_url(".dial_result"), method="POST", timeout=DIAL_TIMEOUT)


def _case_status(response: VoiceResponse, case: CaseStatus) -> None:
    """Only what the public tracking page shows: no name, phone or description."""
    with force_locale("vi"):
        state = str(STATE_LABELS.get(case.state, ""))
    _say(response, "case_status", digits=_digits(case.code), state=state,
         unit=case.unit.name_vi if case.unit else "", due=case.due_on)


# Routes -------------------------------------------------------------------------

@bp.post("")
@twilio_signed
def inbound() -> Response:
    calls.start(_ref(request.form))
    response = VoiceResponse()
    _menu(response, welcome=request.args.get("again") != "1")
    return twiml(response)


@bp.post("/menu")
@twilio_signed
def menu() -> Response:
    ref, digit, attempt = _ref(request.form), params.digits(request.form.get("Digits")), _attempt()
    response = VoiceResponse()
    if digit == "1":
        calls.choose(ref, calls.FEEDBACK)
        _ask_topic(response)
    elif digit == "2":
        calls.choose(ref, calls.STATUS)
        _ask_code(response, 1)
    elif digit in ("", "0") or attempt >= MAX_TRIES:
        _operator(response, calls.reach_operator(ref))
    else:
        _say(response, "invalid_choice")
        _menu(response, attempt + 1, welcome=False)
    return twiml(response)


@bp.post("/topic")
@twilio_signed
def topic() -> Response:
    calls.say_topic(_ref(request.form), params.text(request.form.get("SpeechResult"), "SpeechResult"))
    response = VoiceResponse()
    _record_feedback(response)
    return twiml(response)


@bp.post("/recorded")
@twilio_signed
def recorded() -> Response:
    rec = _recording(request.form)
    response = VoiceResponse()
    if rec is None:
        _say(response, "nothing_recorded")
        _back_to_menu(response)
        return twiml(response)
    case = calls.record_feedback(rec)
    if case is None:
        _say(response, "voicemail_done")
    else:
        _say(response, "case_created", digits=_digits(case.code))
    response.hangup()
    return twiml(response)


@bp.post("/code")
@twilio_signed
def code() -> Response:
    typed, attempt = params.digits(request.form.get("Digits")), _attempt()
    lookup = calls.find_case(typed)
    response = VoiceResponse()
    if lookup.case is not None:
        _case_status(response, lookup.case)
        _back_to_menu(response)
    elif attempt < MAX_TRIES:
        _say(response, "code_wrong", typed=typed, valid=lookup.valid)
        _ask_code(response, attempt + 1)
    else:
        _say(response, "code_give_up")
        _back_to_menu(response)
    return twiml(response)


@bp.post("/dial-result")
@twilio_signed
def dial_result() -> Response:
    response = VoiceResponse()
    if calls.dial_result(_ref(request.form), params.word(request.form.get("DialCallStatus"),
                                                         "DialCallStatus")):
        response.hangup()
    else:
        _voicemail(response, "busy")
    return twiml(response)


@bp.post("/voicemail")
@twilio_signed
def voicemail() -> Response:
    rec = _recording(request.form)
    response = VoiceResponse()
    if rec is not None:
        calls.record_voicemail(rec)
        _say(response, "voicemail_done")
    else:
        _say(response, "goodbye")
    response.hangup()
    return twiml(response)


@bp.post("/status")
@twilio_signed
def status_callback() -> Response:
    form = request.form
    calls.call_status(_ref(form), params.word(form.get("CallStatus"), "CallStatus"),
                      _seconds(form, "CallDuration"))
    return Response(status=204)


@bp.post("/recording-status")
@twilio_signed
def recording_status() -> Response:
    form = request.form
    calls.recording_status(
        params.provider_id(form.get("RecordingSid"), "RecordingSid", required=False),
        params.word(form.get("RecordingStatus"), "RecordingStatus"),
        params.url(form.get("RecordingUrl"), "RecordingUrl"), _seconds(form, "RecordingDuration"))
    return Response(status=204)


@bp.errorhandler(Exception)
def failed(error: Exception):
    """Twilio would read a 500 as "an application error has occurred": apologise
    on the line instead, in the default voice (the settings may be what failed)."""
    if isinstance(error, HTTPException):
        return error
    db.session.rollback()
    current_app.logger.exception("voice webhook %s failed", request.path)
    response = VoiceResponse()
    _say(response, "error", voice=calls.VoiceSettings())
    response.hangup()
    return twiml(response)
