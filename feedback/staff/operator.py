"""The operator console at /staff/operator: calls with each caller's earlier
cases, logging a call as a case or a note, the call-back list, and recordings
played through the app so that the Twilio credentials stay on the server.
Every view needs the console permission.

Views parse the request, call services/operator.py and render; they never commit.
"""
from __future__ import annotations

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..domain import permissions as perms
from ..domain import trackcode
from ..domain.contact import phone_display
from ..extensions import db
from ..forms import attach_errors
from ..models import CallbackItem, Call, Recording
from ..services import intake
from ..services.errors import Rejected
from ..services.hotline import floods as flood_service
from ..services.hotline import operator as service
from ..services.workflow import access
from .guard import requires
from .media import stream_recording
from .forms import CallCaseForm, CaseNoteForm

bp = Blueprint("operator", __name__, url_prefix="/staff/operator")

CALL_STATUS_LABELS = {
    "queued": _l("Đang chờ"),
    "ringing": _l("Đang đổ chuông"),
    "in-progress": _l("Đang nghe"),
    "completed": _l("Đã kết thúc"),
    "busy": _l("Máy bận"),
    "failed": _l("Không kết nối được"),
    "no-answer": _l("Không trả lời"),
    "canceled": _l("Người gọi đã gác máy"),
}
CALLBACK_REASON_LABELS = {
    "missed": _l("Gọi nhỡ"),
    "abandoned": _l("Gác máy khi chờ"),
    "voicemail": _l("Để lại lời nhắn"),
}
CALL_CHOICE_LABELS = {
    "menu": _l("Nghe hướng dẫn"),
    "feedback": _l("Ghi âm phản ánh"),
    "status": _l("Tra cứu kết quả"),
    "dialing": _l("Đang chuyển máy"),
    "operator": _l("Gặp tổng đài viên"),
    "voicemail": _l("Để lại lời nhắn"),
}


@bp.context_processor
def console_labels() -> dict:
    return {
        "CALL_STATUS_LABELS": CALL_STATUS_LABELS, "CALL_CHOICE_LABELS": CALL_CHOICE_LABELS,
        "CALLBACK_REASON_LABELS": CALLBACK_REASON_LABELS,
        "FINAL_CALL_STATUSES": service.FINAL_CALL_STATUSES,
        # Functions, so the counts are queried only by pages that show them.
        "open_callback_count": service.open_callback_count,
        "flooding_count": flood_service.flooding_count,
    }


# Row ids are 32-bit integers on PostgreSQL: a larger one names no row.
MAX_ID = 2**31 - 1


def _id_arg(name: str) -> int | None:
    """A row id from the query string; None when missing, not a number or out of range."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


@bp.app_template_filter("phone")
def phone_filter(number: str | None) -> str:
    return phone_display(number)


@bp.get("")
@requires(perms.CONSOLE)
def console():
    before = _id_arg("before")
    page = service.call_page(before)
    return render_template("staff/operator/console.html", page=page, before=before,
                           today=service.calls_today())


def _call_from_args() -> Call | None:
    """The call named by ?call=<id>, if any; a wrong id is a 404, not a case
    logged without its call."""
    if "call" not in request.args:
        return None
    call_id = _id_arg("call")
    call = service.find_call(call_id) if call_id else None
    if call is None:
        abort(404)
    return call


def _case_form(call: Call | None, formdata: bool) -> CallCaseForm:
    form = CallCaseForm() if formdata else CallCaseForm(formdata=None)
    form.load_choices()
    if call is not None and not formdata:
        form.prefill(call)
    return form


def _log_page(form: CallCaseForm, note_form: CaseNoteForm, call: Call | None, status: int = 200):
    history = service.caller_history([call.from_number]) if call is not None else {}
    earlier = history.get(call.from_number, []) if call is not None else []
    return render_template("staff/operator/log.html", form=form, note_form=note_form,
                           call=call, earlier=earlier), status


@bp.get("/log")
@requires(perms.CONSOLE)
def log_call():
    call = _call_from_args()
    note_form = CaseNoteForm(formdata=None, code=request.args.get("code", ""))
    return _log_page(_case_form(call, formdata=False), note_form, call)


def _submission(form: CallCaseForm) -> intake.Submission:
    return form.submission("operator", hotline_code=form.hotline.data or None)


@bp.post("/log")
@requires(perms.CONSOLE)
def log_case():
    call = _call_from_args()
    form = _case_form(call, formdata=True)
    submission = _submission(form)
    try:
        case = service.log_case(submission, call, current_user.id)
    except Rejected as rejected:
        form.show_rejected(submission, rejected.errors)
        return _log_page(form, CaseNoteForm(formdata=None), call, 422)
    session["logged_code"] = case.code
    return redirect(url_for("operator.logged", code=case.code))


@bp.post("/log/note")
@requires(perms.CONSOLE)
def add_note():
    call = _call_from_args()
    note_form = CaseNoteForm()
    try:
        case = service.add_note(note_form.code.data or "", note_form.note.data or "",
                                current_user.id, call)
    except Rejected as rejected:
        attach_errors(note_form, rejected.errors)
        return _log_page(_case_form(call, formdata=False), note_form, call, 422)
    flash(_("Đã thêm ghi chú vào phản ánh %(code)s.", code=trackcode.display(case.code)))
    return redirect(url_for("operator.console"))


@bp.get("/logged/<code>")
@requires(perms.CONSOLE)
def logged(code: str):
    """The new case's code, to read out to the caller before hanging up. Only
    the case this operator just logged: a sealed one is not theirs to see later."""
    case = service.find_case(code) if session.get("logged_code") == code else None
    if case is None:
        abort(404)
    return render_template("staff/operator/logged.html", case=case)


def _callbacks_page(errors: dict[int, str] | None = None, typed: dict[int, str] | None = None,
                    status: int = 200):
    items = service.open_callbacks()
    history = service.caller_history(item.phone for item in items)
    return render_template("staff/operator/callbacks.html", items=items, history=history,
                           errors=errors or {}, typed=typed or {}), status


@bp.get("/callbacks")
@requires(perms.CONSOLE)
def callbacks():
    if request.args.get("done"):
        return render_template("staff/operator/callbacks_done.html",
                               done=service.done_callbacks())
    return _callbacks_page()


@bp.post("/callbacks/<int:item_id>/done")
@requires(perms.CONSOLE)
def callback_done(item_id: int):
    item = db.session.get(CallbackItem, item_id) if item_id <= MAX_ID else None
    if item is None:
        abort(404)
    note = request.form.get("note", "")
    try:
        marked = service.mark_called_back(item, current_user.id, note)
    except Rejected as rejected:
        return _callbacks_page({item.id: rejected.errors["note"]}, {item.id: note}, 422)
    if marked:
        flash(_("Đã ghi nhận: đã gọi lại số %(phone)s.", phone=phone_display(item.phone)))
    else:
        flash(_("Số %(phone)s đã được tổng đài viên khác gọi lại.", phone=phone_display(item.phone)))
    return redirect(url_for("operator.callbacks"))


@bp.get("/recordings/<int:recording_id>")
@requires(perms.CONSOLE)
def recording(recording_id: int):
    """A recording of a call, unless it belongs to a case the operator may not see."""
    rec = db.session.get(Recording, recording_id) if recording_id <= MAX_ID else None
    if rec is None or (rec.case is not None and not access.can(current_user, perms.VIEW, rec.case)):
        abort(404)
    return stream_recording(rec)


@bp.get("/floods")
@requires(perms.CONSOLE)
def floods():
    """Numbers whose SMS were throttled, each with its messages: nothing a
    flooding number sent is lost, and the operators read it in one place."""
    return render_template("staff/operator/floods.html", floods=flood_service.recent_floods(),
                           limit=current_app.config["SMS_FLOOD_LIMIT"])
