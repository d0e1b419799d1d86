"""One intake for every channel: validate, create the case, route it, set its
deadlines, write its first events, and commit once.

The organisation data comes from the per-process snapshot (services/orgdata),
so a case costs its own rows: a code check, the inserts in one flush, the
scorecard's upsert, and its notifications (sent after the response)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import attributes

from ...domain import states, taxcode, trackcode
from ...domain.calendar import local_date
from ...domain.contact import email_normalised, phone_e164
from ...domain.text import clean, clean_line
from ...extensions import db, run
from ...models import (
    Case, CaseEvent, Category, Dialogue, Hotline, LegalKind, Procedure, Reporter, Unit,
)
from ...models.dialogue import ANNOUNCED
from ...models.types import utcnow
from .. import deadlines, notify, orgdata
from ..errors import Rejected
from ..public import tally
from ..workflow import lifecycle
from . import attachments, routing
from .attachments import Upload

MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 10_000
# Channels where the phone number is known from the line itself.
PHONE_CHANNELS = ("sms", "voice")


@dataclass
class Submission:
    kind: str
    channel: str
    description: str
    reporter_type: str = "citizen"
    category_code: str | None = None
    procedure_code: str | None = None
    ward_code: str | None = None
    name: str = ""
    phone: str = ""
    email: str = ""
    business_name: str = ""
    tax_code: str = ""
    consent_publish: bool = False
    hotline_code: str | None = None
    actor: str = "citizen"
    user_id: int | None = None        # the staff member who logged it, if any
    media_count: int = 0              # media still to fetch (MMS): content enough for a case
    notify: bool = True               # text the reporter (False for demo and imported data)
    uploads: list[Upload] = field(default_factory=list)
    # When it was received, if not now (a call logged later, an imported case).
    received_at: datetime | None = None
    dialogue_id: int | None = None    # a question sent for a dialogue session
    api_client_id: int | None = None  # filed through the Open311 API by this client
    address: str = ""                 # where the problem is, when a client says
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class _Resolved:
    kind: LegalKind | None = None
    category: Category | None = None
    procedure: Procedure | None = None
    ward: Unit | None = None
    hotline: Hotline | None = None
    dialogue: Dialogue | None = None


def _lookup(table: str, code: str | None, active_only: bool = False):
    """An organisation row by code, from the snapshot (detached: attach to link it)."""
    found = getattr(orgdata.current(), table).get(code) if code else None
    return None if found is None or (active_only and not found.active) else found


def _resolve(sub: Submission, errors: dict) -> _Resolved:
    found = _Resolved(kind=_lookup("kinds", sub.kind))
    if found.kind is None:
        errors["kind"] = _l("Hãy chọn loại nội dung gửi.")
    found.category = _lookup("categories", sub.category_code, active_only=True)
    if sub.category_code and found.category is None:
        errors["category"] = _l("Lĩnh vực không hợp lệ.")
    found.procedure = _lookup("procedures", sub.procedure_code, active_only=True)
    if sub.procedure_code and (
        found.procedure is None or found.category is None
        or found.procedure.category_id != found.category.id
    ):
        errors["procedure"] = _l("Thủ tục không thuộc lĩnh vực đã chọn.")
    found.ward = _lookup("units", sub.ward_code)
    if sub.ward_code and (
        found.ward is None or not found.ward.is_ward
        or not found.ward.active_on(local_date(utcnow()))
    ):
        errors["ward"] = _l("Phường, xã không hợp lệ.")
    found.hotline = _lookup("hotlines", sub.hotline_code)
    if sub.dialogue_id is not None:
        found.dialogue = db.session.get(Dialogue, sub.dialogue_id)
        if found.dialogue is None or found.dialogue.state != ANNOUNCED:
            errors["dialogue"] = _l("Buổi đối thoại này không còn nhận câu hỏi.")
    return found


def _check_business(sub: Submission, errors: dict) -> None:
    """A business names itself and its tax code; on the hotlines (the number
    called says it is a business) they may be missing, but never wrong."""
    required = sub.channel not in PHONE_CHANNELS
    if required and not sub.business_name:
        errors["business_name"] = _l("Hãy nhập tên doanh nghiệp.")
    if not sub.tax_code and not required:
        return
    normalised = taxcode.normalise(sub.tax_code)
    if normalised is None:
        errors["tax_code"] = _l("Mã số thuế phải có 10 chữ số (hoặc 13 với chi nhánh) và đúng số kiểm tra.")
    else:
        sub.tax_code = normalised


def _check_reporter(sub: Submission, errors: dict) -> None:
    if sub.reporter_type not in states.REPORTER_TYPES:
        errors["reporter_type"] = _l("Hãy chọn cá nhân hoặc doanh nghiệp.")
    if sub.reporter_type == "business":
        _check_business(sub, errors)
    if not sub.name and (sub.channel not in PHONE_CHANNELS or sub.kind == "to-cao"):
        errors["name"] = _l("Hãy nhập họ và tên.")
    if sub.phone:
        e164 = phone_e164(sub.phone)
        if e164 is None:
            errors["phone"] = _l("Số điện thoại không hợp lệ.")
        sub.phone = e164 or sub.phone
    if sub.email:
        email = email_normalised(sub.email)
        if email is None:
            errors["email"] = _l("Địa chỉ email không hợp lệ.")
        sub.email = email or sub.email
    if not sub.phone and not sub.email:
        errors["phone"] = _l("Hãy nhập số điện thoại hoặc email để cơ quan trả lời bạn.")


def _normalise(sub: Submission) -> None:
    sub.description = clean(sub.description)
    for name in ("name", "phone", "email", "business_name", "tax_code", "address"):
        setattr(sub, name, clean_line(getattr(sub, name)))


def validate(sub: Submission) -> _Resolved:
    """Normalise `sub` in place; raise Rejected with every error found."""
    _normalise(sub)
    errors: dict[str, str] = {}
    if sub.channel not in states.CHANNELS:
        errors["channel"] = _l("Kênh tiếp nhận không hợp lệ.")
    found = _resolve(sub, errors)
    if len(sub.description) < MIN_DESCRIPTION and not (sub.uploads or sub.media_count):
        errors["description"] = _l("Hãy mô tả nội dung (ít nhất %(n)d ký tự).", n=MIN_DESCRIPTION)
    elif len(sub.description) > MAX_DESCRIPTION:
        errors["description"] = _l("Nội dung dài quá %(n)d ký tự.", n=MAX_DESCRIPTION)
    _check_reporter(sub, errors)
    problem = attachments.check(sub.uploads)
    if problem is not None:
        errors["attachments"] = problem
    if errors:
        raise Rejected(errors)
    return found


_CODE_TAKEN = select(exists().where(Case.code == bindparam("code")))


def _new_code() -> str:
    for _ in range(20):
        code = trackcode.generate()
        if not run(_CODE_TAKEN, {"code": code}).scalar():
            return code
    raise RuntimeError("could not find a free tracking code")


def _build_case(sub: Submission, found: _Resolved, now: datetime) -> Case:
    business = sub.reporter_type == "business"
    return Case(
        code=_new_code(), kind=found.kind.code, reporter_type=sub.reporter_type,
        channel=sub.channel, hotline=orgdata.attach(found.hotline),
        procedure=orgdata.attach(found.procedure), state=states.NEW,
        description=sub.description, consent_publish=sub.consent_publish,
        received_at=now, api_client_id=sub.api_client_id, address=sub.address or None,
        latitude=sub.latitude, longitude=sub.longitude,
        reporter=Reporter(
            name=sub.name, phone=sub.phone or None, email=sub.email or None,
            business_name=(sub.business_name or None) if business else None,
            tax_code=(sub.tax_code or None) if business else None,
        ),
    )


def _route(case: Case, found: _Resolved, now: datetime) -> None:
    decision = routing.decide(found.kind, found.category, found.ward,
                              case.description, local_date(now))
    if found.dialogue is not None and decision.reason not in ("conduct", "kind"):
        # A question for a dialogue goes to the unit holding it (conduct
        # complaints and complaints still go where the law sends them).
        decision = replace(decision, unit=found.dialogue.unit, state=states.ASSIGNED,
                           reason="dialogue", keyword=None)
    case.unit = orgdata.attach(decision.unit)
    # a ward named in the text counts as chosen
    case.ward = orgdata.attach(found.ward or decision.ward)
    case.dialogue = found.dialogue
    case.category = orgdata.attach(decision.category)
    case.confidential = decision.confidential
    due = deadlines.compute(found.kind, now, deadlines.work_calendar())
    case.accept_due_on, case.due_on = due.accept_due_on, due.due_on
    lifecycle.route(case, decision.state, CaseEvent(
        at=now, actor="system", user_id=None, action="routed", from_state=states.NEW,
        to_state=decision.state, unit=case.unit, reason=decision.reason,
        detail=decision.keyword, public=True,
    ))


def build(sub: Submission) -> Case:
    """Validate, create, route and time a case in the session, without committing.

    For use cases that must commit the case together with something else (an
    inbound SMS, a call); they own the commit. Files are stored by submit() only.
    """
    found = validate(sub)
    now = sub.received_at or utcnow()
    case = _build_case(sub, found, now)
    case.events.append(CaseEvent(   # the same columns as the routing event: one INSERT
        at=now, actor=sub.actor, user_id=sub.user_id, action="received", from_state=None,
        to_state=states.NEW, unit=None, reason=None, detail=sub.channel, public=True,
    ))
    _route(case, found, now)
    db.session.add(case)
    with db.session.no_autoflush:   # the scorecard's upsert needs no flush: one, at the commit
        tally.received(case)
    if sub.notify:
        notify.queue_received(case)
    return case


def submit(sub: Submission) -> Case:
    """Create, route and time a case from any channel, with its files. Commits once."""
    case = build(sub)
    written: list[Path] = []
    try:
        for upload in sub.uploads:
            row, path = attachments.store(upload, case.received_at)
            written.append(path)
            case.attachments.append(row)
        code = case.code
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise
    attributes.set_committed_value(case, "code", code)   # what the caller shows: no re-read
    notify.dispatch_pending(case)
    return case
