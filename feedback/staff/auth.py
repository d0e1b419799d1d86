"""Staff sign-in and sign-out (Flask-Login, hashed passwords, rate-limited,
accounts locked after repeated failures, every attempt in the audit log).

The session names the user by id and session token (User.get_id): signing out
anywhere, a new password or deactivation changes the token, and every session
cookie issued before, copied or not, stops working at once."""
from __future__ import annotations

import hmac

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..extensions import db, limiter, login
from ..models import User
from ..security import local_path
from ..services.errors import Rejected
from ..services.workflow import accounts

bp = Blueprint("auth", __name__, url_prefix="/staff")

login.login_view = "auth.login_page"
login.login_message = _l("Hãy đăng nhập để tiếp tục.")
login.session_protection = "strong"


@login.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in user, or None once the session's token is no longer the
    account's, or the account is deactivated (signed out at once)."""
    user_id, _, token = session_id.partition(".")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() and len(user_id) < 18 else None
    if user is None or not user.active or not user.session_token:
        return None
    return user if hmac.compare_digest(user.session_token.encode(), token.encode()) else None


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_page():
    error = None
    email = request.form.get("email", "").strip().lower()
    if request.method == "POST":
        try:
            user = accounts.sign_in(email, request.form.get("password", ""), request.remote_addr)
        except Rejected as refused:
            error = refused.message
        else:
            login_user(user)
            return redirect(local_path(request.args.get("next")) or url_for("inbox.home"))
    status = 401 if error else 200
    return render_template("staff/login.html", error=error, email=email), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        accounts.sign_out(current_user, request.remote_addr)
    logout_user()
    return redirect(url_for("auth.login_page"))
