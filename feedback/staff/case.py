"""The case page, /staff/cases/<code>: everything about one case, and one
form per action the user may take now, each POSTing to
/staff/cases/<code>/<action>. Files and recordings are served only here."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import lifecycle
from ..domain import permissions as perms
from ..i18n import ACTION_LABELS
from ..models import Case
from ..services.errors import Rejected
from ..services.workflow import access, casefile
from ..services.workflow import lifecycle as workflow
from .guard import actor, case_view
from .media import NO_STORE, stream_recording

bp = Blueprint("case", __name__, url_prefix="/staff/cases")


def _page(case: Case, errors: dict | None = None, action: str | None = None,
          given: workflow.Given | None = None, status: int = 200):
    file = casefile.open_case(actor(), case)
    return render_template("staff/case.html", file=file, case=file.case, errors=errors or {},
                           failed=action, given=given or workflow.Given()), status


@bp.get("/<code>")
@case_view(perms.VIEW)
def show(case: Case):
    return _page(case)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _given() -> workflow.Given:
    form = request.form
    version = form.get("version", "")
    return workflow.Given(
        version=int(version) if version.isdigit() and len(version) < 12 else None,
        reason=form.get("reason", ""), unit_code=form.get("unit", ""),
        day=_date(form.get("date")), reference=form.get("reference", ""),
        public_text=form.get("public_text", ""), resolution=form.get("resolution", ""),
        summary=form.get("summary", ""), words=form.get("words", ""),
        target_code=form.get("target", ""), checked=form.get("checked") == "1",
    )


@bp.post("/<code>/<action>")
@case_view(perms.VIEW)
def act(case: Case, action: str):
    """Any action of the transition table; the lifecycle service decides."""
    if action not in lifecycle.ACTIONS:
        abort(404)
    given = _given()
    try:
        workflow.act(actor(), case, action, given)
    except Rejected as refused:
        return _page(case, refused.errors, action, given, refused.status)
    flash(_("Đã thực hiện: %(action)s.", action=ACTION_LABELS[action]))
    if not access.can(current_user, perms.VIEW, case):
        return redirect(url_for("inbox.home"))  # e.g. returned to triage: no longer theirs
    return redirect(url_for("case.show", code=case.code))


@bp.get("/<code>/files/<int:attachment_id>")
@case_view(perms.FILES)
def attachment(case: Case, attachment_id: int):
    """Always a download, never shown inline: a file from the public is not trusted."""
    found = _or_404(lambda: casefile.attachment(actor(), case, attachment_id))
    path = Path(current_app.config["UPLOAD_DIR"]) / found.stored_name
    response = send_file(path, mimetype=found.content_type, as_attachment=True,
                         download_name=found.original_name, max_age=0)
    response.headers["Cache-Control"] = NO_STORE
    return response


@bp.get("/<code>/recordings/<int:recording_id>")
@case_view(perms.FILES)
def recording(case: Case, recording_id: int):
    return stream_recording(_or_404(lambda: casefile.recording(actor(), case, recording_id)))


def _or_404(find):
    try:
        return find()
    except Rejected as refused:
        abort(refused.status)
