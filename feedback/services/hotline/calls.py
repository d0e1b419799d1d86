"""The voice hotline's use cases, one function each, each owning its single commit.

Twilio redelivers webhooks and does not promise their order, so every step is
keyed on a Twilio id under a unique constraint (CallSid, RecordingSid, the
receipts of status callbacks) and any step may be the first we hear of a call:
each finds or creates its Call instead of assuming the inbound webhook came.
The id is claimed first with an insert that cannot fail (channels/receipts.py)
and only the winner acts; the Call row is then locked, so that the steps of
one call (a status callback racing a recording) take turns.

`Call.choice` says how far the caller got, which decides the call-back list
when the call ends: menu (never past the menu: 'missed'), feedback, status,
dialing (being put through), operator (an operator answered: served),
voicemail. A case made or a voicemail left also means served.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ... import jobs
from ...channels import hotlines
from ...channels.receipts import first_delivery, insert_once
from ...domain import office_hours as hours_rule
from ...domain import trackcode
from ...domain.contact import phone_e164
from ...domain.text import clean
from ...domain.office_hours import OfficeHours
from ...extensions import db
from ...models import Call, CallbackItem, Case, OrgSetting, Recording
from ...models.types import utcnow
from .. import deadlines, intake, notify
from ..errors import Rejected
from ..public import status as public_status
from ..public.status import CaseStatus
from . import recordings

MENU, FEEDBACK, STATUS, DIALING, OPERATOR, VOICEMAIL = (
    "menu", "feedback", "status", "dialing", "operator", "voicemail")
CALL_ENDED = frozenset({"completed", "no-answer", "busy", "failed", "canceled"})
DIAL_REACHED = frozenset({"completed", "answered"})
LOST_REASONS = frozenset({"missed", "abandoned"})
MAX_TOPIC = 500           # a spoken summary of a few seconds is far shorter


@dataclass(frozen=True)
class CallRef:
    """The call a webhook is about, with the numbers every voice webhook carries."""

    call_sid: str
    from_number: str = ""
    to_number: str = ""
    called: str = ""
    forwarded_from: str = ""


@dataclass(frozen=True)
class RecordingIn:
    call: CallRef
    recording_sid: str
    url: str
    duration: int | None = None


@dataclass(frozen=True)
class VoiceSettings:
    name: str = "Google.vi-VN-Standard-A"
    language: str = "vi-VN"
    operator_dial: str = ""


@dataclass(frozen=True)
class OperatorRoute:
    """Where a caller who asked for an operator goes: `dial` is the number to put
    the call through to, or None for voicemail, and `reason` says why."""

    dial: str | None
    reason: str          # dial | closed | no-operator
    hours: OfficeHours


@dataclass(frozen=True)
class CaseLookup:
    valid: bool          # the check digit holds: not a typo
    case: CaseStatus | None   # what the caller may hear, never the case itself


def _setting(key: str) -> dict:
    row = db.session.get(OrgSetting, key)
    try:
        value = json.loads(row.value) if row is not None else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def voice_settings() -> VoiceSettings:
    """The voice and the operators' number from the organisation file."""
    value, default = _setting("voice"), VoiceSettings()
    return VoiceSettings(name=value.get("name") or default.name,
                         language=value.get("language") or default.language,
                         operator_dial=(value.get("operator_dial") or "").strip())


def office_hours() -> OfficeHours:
    return OfficeHours.from_setting(_setting("office_hours"))


def _find_call(call_sid: str) -> Call | None:
    return db.session.scalars(select(Call).filter_by(call_sid=call_sid)).first()


def _ensure_call(ref: CallRef) -> Call:
    """The Call for `ref`, created once whoever races, and locked until the
    transaction ends. The insert is always tried: on SQLite that write is what
    takes the turn; on PostgreSQL the row is locked FOR UPDATE."""
    if not ref.call_sid:
        raise ValueError("a voice webhook without CallSid")
    hotline = hotlines.identify(ref.to_number, ref.called, ref.forwarded_from)
    insert_once(Call, dict(
        call_sid=ref.call_sid, to_number=ref.to_number or ref.called,
        from_number=phone_e164(ref.from_number) or ref.from_number,
        hotline_id=hotline.id if hotline else None, choice=MENU, status="ringing",
        started_at=utcnow(),
    ), ["call_sid"])
    return db.session.scalars(
        select(Call).filter_by(call_sid=ref.call_sid).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def start(ref: CallRef) -> Call:
    """A call comes in (or is redelivered): record it once."""
    call = _ensure_call(ref)
    db.session.commit()
    return call


def choose(ref: CallRef, choice: str) -> None:
    """Remember the caller's last menu choice."""
    _ensure_call(ref).choice = choice
    db.session.commit()


def say_topic(ref: CallRef, words: str) -> None:
    """Keep what the caller said their feedback is about (the last words win)."""
    words = clean(words)[:MAX_TOPIC]
    if words:
        _ensure_call(ref).topic = words
        db.session.commit()


def reach_operator(ref: CallRef, now: datetime | None = None) -> OperatorRoute:
    """Put the caller through in office hours when a desk number is configured,
    otherwise send them to voicemail."""
    hours, dial = office_hours(), voice_settings().operator_dial
    is_open = hours_rule.is_open(now or utcnow(), hours, deadlines.work_calendar().is_working_day)
    if is_open and dial:
        route = OperatorRoute(dial, "dial", hours)
    else:
        route = OperatorRoute(None, "no-operator" if is_open else "closed", hours)
    _ensure_call(ref).choice = DIALING if route.dial else VOICEMAIL
    db.session.commit()
    return route


def dial_result(ref: CallRef, dial_status: str) -> bool:
    """The dial to the operators ended: True if someone answered."""
    reached = dial_status in DIAL_REACHED
    _ensure_call(ref).choice = OPERATOR if reached else VOICEMAIL
    db.session.commit()
    return reached


def _find_recording(recording_sid: str) -> Recording | None:
    return db.session.scalars(select(Recording).filter_by(recording_sid=recording_sid)).first()


def _add_callback(call: Call, reason: str, recording: Recording | None = None) -> bool:
    """One call-back item per call (unique call_id); False if the call had one."""
    return insert_once(CallbackItem, dict(
        call_id=call.id, phone=call.from_number, reason=reason,
        recording_id=recording.id if recording else None, created_at=utcnow(),
    ), ["call_id"]) is not None


def _callback_of(call: Call) -> CallbackItem | None:
    return db.session.scalars(select(CallbackItem).filter_by(call_id=call.id)).first()


def _claim_recording(call: Call, rec: RecordingIn, purpose: str) -> Recording | None:
    """Record `rec` once; None if another delivery of it holds the claim."""
    recording_id = insert_once(Recording, dict(
        recording_sid=rec.recording_sid, call_id=call.id, url=rec.url, duration=rec.duration,
        purpose=purpose, status="completed", created_at=utcnow(),
    ), ["recording_sid"])
    return db.session.get(Recording, recording_id) if recording_id is not None else None


def _keep_voicemail(call: Call, recording: Recording) -> None:
    """Put a voicemail on the call-back list. A 'missed' or 'abandoned' item
    filed by an earlier status callback becomes the voicemail."""
    recording.purpose = "voicemail"
    if not _add_callback(call, "voicemail", recording):
        item = _callback_of(call)
        if item is not None and item.done_at is None and item.reason in LOST_REASONS:
            item.reason, item.recording = "voicemail", recording


def _new_case(call: Call, rec: RecordingIn) -> Case:
    """The case of a recorded feedback, routed by what the caller said it is about."""
    hotline = call.hotline
    recorded = f"Ghi âm cuộc gọi, {rec.duration or 0} giây"
    return intake.build(intake.Submission(
        kind="phan-anh", channel="voice", phone=call.from_number, media_count=1,
        description=f"Người gọi nói: “{call.topic}”. {recorded}" if call.topic else recorded,
        reporter_type=hotline.audience if hotline else "citizen",
        hotline_code=hotline.code if hotline else None, received_at=utcnow(),
    ))


def _drop_lost_callback(call: Call) -> None:
    """A status callback that overtook the recording filed the call as lost; it is not."""
    item = _callback_of(call)
    if item is not None and item.done_at is None and item.reason in LOST_REASONS:
        db.session.delete(item)


def _winners_case(rec: RecordingIn) -> Case | None:
    """What the delivery that won the recording's claim made of it."""
    db.session.rollback()
    seen = _find_recording(rec.recording_sid)
    return seen.case if seen is not None else None


def record_feedback(rec: RecordingIn) -> Case | None:
    """A feedback recording becomes a new case, once per RecordingSid (and once per
    call). None if no case could be made (no usable caller number): the recording
    is then kept as a voicemail for an operator. Commits once, then texts the code
    and copies the recording into the case's files."""
    seen = _find_recording(rec.recording_sid)
    if seen is not None:
        return seen.case
    call = _ensure_call(rec.call)
    recording = _claim_recording(call, rec, "feedback")
    if recording is None:
        return _winners_case(rec)
    try:
        case = call.case or _new_case(call, rec)
    except Rejected:
        _keep_voicemail(call, recording)
        call.choice = VOICEMAIL
        db.session.commit()
        return None
    recording.case = case
    call.case, call.choice = case, FEEDBACK
    _drop_lost_callback(call)
    db.session.commit()
    notify.dispatch_pending(case)
    jobs.enqueue(recordings.keep, recording.id)
    return case


def record_voicemail(rec: RecordingIn) -> None:
    """A voicemail goes on the call-back list, once per RecordingSid."""
    if _find_recording(rec.recording_sid) is not None:
        return
    call = _ensure_call(rec.call)
    recording = _claim_recording(call, rec, "voicemail")
    if recording is None:  # the same recording delivered twice at once
        db.session.rollback()
        return
    call.choice = VOICEMAIL
    _keep_voicemail(call, recording)
    db.session.commit()


def _lost_reason(call: Call) -> str | None:
    """Why an ended call needs calling back, or None if the caller was served."""
    if call.case_id is not None or call.choice in (OPERATOR, STATUS):
        return None  # a case made, an operator reached, or the status heard
    return "missed" if call.choice in (None, MENU) else "abandoned"


def call_status(ref: CallRef, status: str, duration: int | None) -> None:
    """Twilio's call status callback, taken once per (CallSid, CallStatus). An ended
    call whose caller was not served goes on the call-back list."""
    if not (ref.call_sid and status):
        return
    if not first_delivery("call-status", f"{ref.call_sid}:{status}"):
        db.session.rollback()
        return
    call = _ensure_call(ref)
    if status in CALL_ENDED:
        call.status = status
        call.ended_at = call.ended_at or utcnow()
        reason = _lost_reason(call)
        if reason is not None:
            _add_callback(call, reason)
    elif call.ended_at is None:  # a late 'in-progress' never reopens an ended call
        call.status = status
    if duration is not None:
        call.duration = duration
    db.session.commit()


def recording_status(recording_sid: str, status: str, url: str, duration: int | None) -> None:
    """A recording status callback, taken once per (RecordingSid, status)."""
    if not recording_sid:
        return
    if not first_delivery("recording-status", f"{recording_sid}:{status}"):
        db.session.rollback()
        return
    recording = _find_recording(recording_sid)
    if recording is not None:
        recording.status = status or recording.status
        recording.url = url or recording.url
        recording.duration = duration if duration is not None else recording.duration
    db.session.commit()
    if recording is not None and recording.case_id is not None and status == "completed":
        jobs.enqueue(recordings.keep, recording.id)  # now surely ready at Twilio


def find_case(typed: str) -> CaseLookup:
    """The case for a code keyed in on the phone; a typo fails the check digit."""
    code = trackcode.normalise(typed)
    if code is None:
        return CaseLookup(False, None)
    return CaseLookup(True, public_status.of(code))
