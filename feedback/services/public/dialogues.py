"""Dialogue sessions as the public sees them, and registering for one with a
question, which becomes a case through the one intake of every channel."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...domain.contact import email_normalised, phone_e164
from ...domain.text import clean, clean_line
from ...extensions import db
from ...models import Case, Dialogue, DialogueRegistration, PublicRecord
from ...models.dialogue import ANNOUNCED
from ...models.types import utcnow
from .. import intake, notify
from ..errors import CONFLICT, Rejected


def listing() -> tuple[list[Dialogue], list[Dialogue]]:
    """Coming sessions (soonest first) and past ones (latest first)."""
    query = select(Dialogue).options(joinedload(Dialogue.unit), selectinload(Dialogue.procedures))
    now = utcnow()
    coming = list(db.session.scalars(query.where(Dialogue.starts_at >= now).order_by(Dialogue.starts_at)))
    past = list(db.session.scalars(query.where(Dialogue.starts_at < now)
                                   .order_by(Dialogue.starts_at.desc()).limit(50)))
    return coming, past


def find(dialogue_id: int) -> Dialogue | None:
    return db.session.get(Dialogue, dialogue_id) if 0 < dialogue_id < 2**63 else None


def answers(dialogue: Dialogue) -> list[PublicRecord]:
    """The published answers to the questions sent for the session."""
    return list(db.session.scalars(
        select(PublicRecord).where(PublicRecord.dialogue_id == dialogue.id)
        .options(joinedload(PublicRecord.unit), joinedload(PublicRecord.category),
                 joinedload(PublicRecord.ward))
        .order_by(PublicRecord.published_at)))


@dataclass
class Registration:
    name: str = ""
    phone: str = ""
    email: str = ""
    reporter_type: str = "citizen"
    business_name: str = ""
    tax_code: str = ""
    question: str = ""
    consent_publish: bool = False


def open_for_questions(dialogue: Dialogue) -> bool:
    return dialogue.state == ANNOUNCED and dialogue.starts_at >= utcnow()


def _check_contact(form: Registration) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not clean_line(form.name):
        errors["name"] = _l("Hãy nhập họ và tên.")
    phone = phone_e164(form.phone) if form.phone else None
    email = email_normalised(form.email) if form.email else None
    if form.phone and phone is None:
        errors["phone"] = _l("Số điện thoại không hợp lệ.")
    if form.email and email is None:
        errors["email"] = _l("Địa chỉ email không hợp lệ.")
    if not form.phone and not form.email:
        errors["phone"] = _l("Hãy nhập số điện thoại hoặc email để cơ quan liên hệ với bạn.")
    form.phone, form.email = phone or form.phone, email or form.email
    return errors


def register(dialogue: Dialogue, form: Registration) -> tuple[DialogueRegistration, Case | None]:
    """Record the registration and, with a question, open its case. Commits once."""
    if not open_for_questions(dialogue):
        raise Rejected({"": _l("Buổi đối thoại này không còn nhận đăng ký.")}, CONFLICT)
    case = None
    if clean(form.question):
        case = intake.build(intake.Submission(
            kind="kien-nghi", channel="dialogue", description=form.question, name=form.name,
            phone=form.phone, email=form.email, reporter_type=form.reporter_type,
            business_name=form.business_name, tax_code=form.tax_code,
            consent_publish=form.consent_publish, dialogue_id=dialogue.id))
        form.phone, form.email = case.reporter.phone or "", case.reporter.email or ""
    elif errors := _check_contact(form):
        raise Rejected(errors)
    registration = DialogueRegistration(
        dialogue=dialogue, name=clean_line(form.name), phone=form.phone or None,
        email=form.email or None, reporter_type=form.reporter_type, case=case)
    db.session.add(registration)
    db.session.commit()
    if case is not None:
        notify.dispatch_pending(case)
    return registration, case
