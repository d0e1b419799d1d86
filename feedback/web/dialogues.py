"""/dialogues: the dialogue sessions, coming and past; registering with a
question; after a session, its outcome and the answers to its questions."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..domain import trackcode
from ..extensions import limiter
from ..services.errors import Rejected
from ..services.public import dialogues

bp = Blueprint("dialogues", __name__, url_prefix="/dialogues")


def _submit_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


@bp.get("")
def index():
    coming, past = dialogues.listing()
    return render_template("web/dialogues.html", coming=coming, past=past)


def _page(dialogue, form=None, errors=None, status=200):
    return render_template(
        "web/dialogue.html", dialogue=dialogue, answers=dialogues.answers(dialogue),
        open=dialogues.open_for_questions(dialogue), form=form or dialogues.Registration(),
        errors=errors or {}), status


@bp.get("/<int:dialogue_id>")
def show(dialogue_id: int):
    dialogue = dialogues.find(dialogue_id) or abort(404)
    return _page(dialogue)


def _form() -> dialogues.Registration:
    values = request.form
    return dialogues.Registration(
        name=values.get("name", ""), phone=values.get("phone", ""), email=values.get("email", ""),
        reporter_type="business" if values.get("reporter_type") == "business" else "citizen",
        business_name=values.get("business_name", ""), tax_code=values.get("tax_code", ""),
        question=values.get("question", ""), consent_publish=values.get("consent_publish") == "y")


@bp.post("/<int:dialogue_id>/register")
@limiter.limit(_submit_limit)
def register(dialogue_id: int):
    dialogue = dialogues.find(dialogue_id) or abort(404)
    form = _form()
    try:
        case = dialogues.register(dialogue, form)[1]
    except Rejected as refused:
        errors = dict(refused.errors)
        if "description" in errors:
            errors["question"] = errors.pop("description")
        return _page(dialogue, form, errors, refused.status)
    if case is not None:
        flash(_("Đã đăng ký. Câu hỏi của bạn có mã tra cứu %(code)s.",
                code=trackcode.display(case.code)))
    else:
        flash(_("Đã đăng ký tham dự."))
    return redirect(url_for("dialogues.show", dialogue_id=dialogue.id))
