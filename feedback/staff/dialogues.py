"""Organising dialogue sessions: /staff/dialogues (announce, list),
/staff/dialogues/<id> (who registered, the outcome to publish)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain import permissions as perms
from ..extensions import db
from ..forms import org_choices
from ..models import DialogueRegistration, Procedure
from ..services.errors import Rejected
from ..services.public.dialogues import find
from ..services.workflow import dialogues
from .guard import actor, requires

bp = Blueprint("dialogues_staff", __name__, url_prefix="/staff/dialogues")


def _list(form=None, errors=None, status=200):
    procedures = db.session.scalars(select(Procedure).where(Procedure.active.is_(True))
                                    .order_by(Procedure.category_id, Procedure.sort)).all()
    return render_template("staff/dialogues.html", items=dialogues.managed_by(current_user),
                           form=form or dialogues.DialogueForm(unit_code=(
                               current_user.unit.code if current_user.unit else "")),
                           errors=errors or {}, units=org_choices()["unit"],
                           procedures=procedures), status


@bp.get("")
@requires(perms.DIALOGUES)
def index():
    return _list()


@bp.post("")
@requires(perms.DIALOGUES)
def announce():
    values = request.form
    form = dialogues.DialogueForm(
        title=values.get("title", ""), topic=values.get("topic", ""),
        unit_code=values.get("unit", ""), starts_at=values.get("starts_at", ""),
        place=values.get("place", ""), procedure_codes=values.getlist("procedures"))
    try:
        dialogue = dialogues.announce(actor(), form)
    except Rejected as refused:
        return _list(form, refused.errors, refused.status)
    flash(_("Đã công bố lịch đối thoại."))
    return redirect(url_for("dialogues_staff.show", dialogue_id=dialogue.id))


def _mine(dialogue_id: int):
    dialogue = find(dialogue_id)
    if dialogue is None or not dialogues.may_hold(current_user, dialogue.unit):
        abort(404)
    return dialogue


def _page(dialogue, errors=None, status=200):
    registrations = db.session.scalars(
        select(DialogueRegistration).where(DialogueRegistration.dialogue_id == dialogue.id)
        .options(joinedload(DialogueRegistration.case)).order_by(DialogueRegistration.id)).all()
    return render_template("staff/dialogue.html", dialogue=dialogue, errors=errors or {},
                           registrations=registrations), status


@bp.get("/<int:dialogue_id>")
@requires(perms.DIALOGUES)
def show(dialogue_id: int):
    return _page(_mine(dialogue_id))


@bp.post("/<int:dialogue_id>/outcome")
@requires(perms.DIALOGUES)
def outcome(dialogue_id: int):
    dialogue = _mine(dialogue_id)
    try:
        dialogues.publish_outcome(actor(), dialogue, request.form.get("outcome", ""))
    except Rejected as refused:
        return _page(dialogue, refused.errors, refused.status)
    flash(_("Đã công bố kết quả buổi đối thoại."))
    return redirect(url_for("dialogues_staff.show", dialogue_id=dialogue.id))
