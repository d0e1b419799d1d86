"""Staff sign-in (Flask-Login, hashed passwords, rate-limited) and role checks."""
from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint, abort, current_app, redirect, render_template, request, url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from ..extensions import db, limiter, login
from ..models import User
from ..web.security import local_path

bp = Blueprint("auth", __name__, url_prefix="/staff")

login.login_view = "auth.login_page"
login.login_message = _l("Hãy đăng nhập để tiếp tục.")
login.session_protection = "strong"


@login.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, or None once the account is deactivated (signed out at once)."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def role_required(*roles: str):
    """Only signed-in, active users with one of `roles` (admins always) get in."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles and current_user.role != "admin":
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("operator.console")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_page():
    error = None
    email = request.form.get("email", "").strip().lower()
    if request.method == "POST":
        user = db.session.scalars(select(User).where(func.lower(User.email) == email)).first()
        if user is not None and user.active and user.check_password(request.form.get("password", "")):
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error = _l("Email hoặc mật khẩu không đúng.")
    status = 401 if error else 200
    return render_template("staff/login.html", error=error, email=email), status


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("auth.login_page"))
