"""Views parse the request, call a service and render; they never commit."""
from __future__ import annotations

from flask import (
    Blueprint, current_app, flash, jsonify, make_response, redirect, render_template,
    request, session, url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from ..domain import trackcode
from ..extensions import db, limiter
from ..i18n import LANG_COOKIE
from ..models import Hotline
from ..services import cases, health, intake
from ..services.errors import Rejected
from ..services.public import status
from ..services.workflow import satisfaction
from ..services.intake.attachments import Upload
from ..forms import SubmitForm
from ..security import local_path

bp = Blueprint("web", __name__)


def _submit_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


def _track_limit() -> str:
    return current_app.config["TRACK_RATE_LIMIT"]


@bp.get("/")
def home():
    hotlines = db.session.scalars(select(Hotline).order_by(Hotline.sort)).all()
    return render_template("web/home.html", hotlines=hotlines)


@bp.get("/lang/<code>")
def set_language(code: str):
    response = redirect(local_path(request.args.get("next")) or url_for("web.home"))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _submission(form: SubmitForm) -> intake.Submission:
    uploads = [
        Upload(f.filename or "", f.read())
        for f in request.files.getlist(form.attachments.name)
        if f and f.filename
    ]
    return form.submission("web", uploads=uploads)


def _form_page(form: SubmitForm, status: int = 200):
    return render_template("web/submit.html", form=form), status


@bp.route("/submit", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def submit():
    form = SubmitForm()
    form.load_choices()
    if request.method == "GET":
        form.prefill(request.args)  # "report a problem with this procedure"
        return _form_page(form)
    if form.website.data:
        # A bot filled the hidden field: thank it and keep nothing.
        return render_template("web/discarded.html")
    submission = _submission(form)
    try:
        case = intake.submit(submission)
    except Rejected as rejected:
        form.show_rejected(submission, rejected.errors)
        return _form_page(form, 422)
    session["submitted_code"] = case.code
    return redirect(url_for("web.submitted"))


@bp.errorhandler(CSRFError)
def stale_form(error: CSRFError):
    """An expired or missing CSRF token: keep what was typed and ask to send again."""
    if request.endpoint != "web.submit":
        return render_template("errors/error.html", error=error), 400
    form = SubmitForm()
    form.load_choices()
    form.form_errors.append(
        _l("Phiên làm việc đã hết hạn. Hãy kiểm tra lại và bấm Gửi lần nữa.")
    )
    return _form_page(form, 400)


@bp.get("/submit/done")
def submitted():
    code = session.get("submitted_code")
    case = cases.by_code(code)
    if case is None:
        return redirect(url_for("web.submit"))
    return render_template("web/submitted.html", case=case)


@bp.get("/track")
def track_form():
    typed = request.args.get("code", "")
    if not typed:
        return render_template("web/track_form.html")
    code = trackcode.normalise(typed)
    if code is None:
        return render_template("web/track_form.html", typed=typed, invalid=True), 404
    return redirect(url_for("web.track", code=code))


def _tracked(code: str):
    """The case for a typed code: (case, None), or (None, the page that says why)."""
    normalised = trackcode.normalise(code)
    if normalised is None:
        return None, (render_template("web/track_form.html", typed=code, invalid=True), 404)
    if normalised != code:
        return None, redirect(url_for("web.track", code=normalised))
    case = status.of(normalised)
    if case is None:
        return None, (render_template("web/track_form.html", typed=code, unknown=True), 404)
    return case, None


def _track_page(case: status.CaseStatus, rating_error=None, code: int = 200):
    response = make_response(render_template(
        "web/track.html", case=case, events=status.steps(case),
        can_rate=satisfaction.can_rate(case), rating_error=rating_error), code)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/track/<path:code>")
@limiter.limit(_track_limit)
def track(code: str):
    case, answer = _tracked(code)
    return answer if case is None else _track_page(case)


@bp.post("/track/<code>/rating")
@limiter.limit(_track_limit)
def rate(code: str):
    """The reporter's satisfaction, from the tracking page (whoever holds the code)."""
    case, answer = _tracked(code)
    if case is None:
        return answer
    score = request.form.get("score", "")
    try:
        satisfaction.rate_on_web(case.code, int(score) if score in ("1", "2", "3", "4", "5") else 0)
    except Rejected as refused:
        return _track_page(case, refused.errors.get("score"), refused.status)
    flash(_("Cảm ơn bạn đã đánh giá."))
    return redirect(url_for("web.track", code=case.code))


@bp.get("/healthz")
def healthz():
    """For the load balancer: 200 when the database (and the queue, if any)
    answer, else 503, with each one's state in JSON."""
    found, healthy = health.check()
    return jsonify(found), 200 if healthy else 503
