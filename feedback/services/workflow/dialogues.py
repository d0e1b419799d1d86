"""Announcing dialogue sessions and publishing their outcome: the city office
for any unit, a unit head for their own. Each step is audited."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...domain import permissions as perms
from ...domain.calendar import LOCAL_TZ
from ...domain.text import clean, clean_line
from ...extensions import db
from ...models import Dialogue, DialogueRegistration, Procedure, Unit, User
from ...models.dialogue import ANNOUNCED, PUBLISHED
from ...models.types import utcnow
from ..errors import CONFLICT, FORBIDDEN, Rejected
from . import access, audit
from .access import Actor


@dataclass
class DialogueForm:
    title: str = ""
    topic: str = ""
    unit_code: str = ""
    starts_at: str = ""          # YYYY-MM-DDTHH:MM, local time (an <input type=datetime-local>)
    place: str = ""
    procedure_codes: list[str] = field(default_factory=list)


def may_hold(user: User, unit: Unit) -> bool:
    """The city office announces for any unit; a unit head for their own
    (domain/permissions.py)."""
    if access.can_global(user, perms.DIALOGUES_ANY_UNIT):
        return True
    return access.can_global(user, perms.DIALOGUES) and user.unit_id == unit.id


def managed_by(user: User) -> list[tuple[Dialogue, int]]:
    """The sessions this user organises, newest first, with their registrations."""
    query = (select(Dialogue, func.count(DialogueRegistration.id))
             .outerjoin(DialogueRegistration, DialogueRegistration.dialogue_id == Dialogue.id)
             .group_by(Dialogue.id).order_by(Dialogue.starts_at.desc())
             .options(joinedload(Dialogue.unit)))
    if not access.can_global(user, perms.DIALOGUES_ANY_UNIT):
        query = query.where(Dialogue.unit_id == user.unit_id)
    return [(dialogue, count) for dialogue, count in db.session.execute(query)]


def _starts(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)
    except ValueError:
        return None


def _validated(actor: Actor, form: DialogueForm) -> tuple[Unit | None, datetime | None, list]:
    errors: dict[str, str] = {}
    if not clean_line(form.title):
        errors["title"] = _l("Hãy nhập tên buổi đối thoại.")
    if not clean_line(form.place):
        errors["place"] = _l("Hãy nhập địa điểm.")
    unit = db.session.scalars(select(Unit).filter_by(code=form.unit_code)).first()
    if unit is None or unit.retired_on is not None:
        errors["unit"] = _l("Hãy chọn đơn vị.")
    elif not may_hold(actor.user, unit):
        errors["unit"] = _l("Bạn chỉ tổ chức đối thoại cho đơn vị của mình.")
    starts = _starts(form.starts_at)
    if starts is None or starts <= utcnow():
        errors["starts_at"] = _l("Hãy chọn thời gian bắt đầu, sau lúc này.")
    procedures = list(db.session.scalars(select(Procedure).where(
        Procedure.code.in_(form.procedure_codes[:20]), Procedure.active.is_(True))))
    if errors:
        raise Rejected(errors)
    return unit, starts, procedures


def announce(actor: Actor, form: DialogueForm) -> Dialogue:
    if not access.can_global(actor.user, perms.DIALOGUES):
        raise Rejected({"": _l("Bạn không có quyền tổ chức đối thoại.")}, FORBIDDEN)
    unit, starts, procedures = _validated(actor, form)
    dialogue = Dialogue(title=clean_line(form.title), topic=clean(form.topic), unit=unit,
                        starts_at=starts, place=clean_line(form.place), procedures=procedures,
                        created_by_id=actor.user_id)
    db.session.add(dialogue)
    db.session.flush()
    audit.record(actor, "dialogue.announce", target=f"{dialogue.id} {dialogue.title}")
    db.session.commit()
    return dialogue


def publish_outcome(actor: Actor, dialogue: Dialogue, outcome: str) -> Dialogue:
    """After the session: what was said and decided, for everyone to read."""
    if not may_hold(actor.user, dialogue.unit):
        raise Rejected({"": _l("Bạn không tổ chức buổi đối thoại này.")}, FORBIDDEN)
    if dialogue.state != ANNOUNCED or dialogue.starts_at > utcnow():
        raise Rejected({"": _l("Chỉ công bố kết quả sau khi buổi đối thoại diễn ra, một lần.")},
                       CONFLICT)
    text = clean(outcome)
    if len(text) < 20:
        raise Rejected({"outcome": _l("Hãy viết kết quả buổi đối thoại (ít nhất 20 ký tự).")})
    dialogue.outcome, dialogue.state, dialogue.published_at = text, PUBLISHED, utcnow()
    audit.record(actor, "dialogue.publish", target=f"{dialogue.id} {dialogue.title}")
    db.session.commit()
    return dialogue
