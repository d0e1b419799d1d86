"""Accounts, for the admin: /staff/admin/users. Create (with a generated
password shown once), change role, unit and name, deactivate, reset the
password. The admin manages accounts; they see no case."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..domain import permissions as perms
from ..extensions import db
from ..i18n import ROLE_LABELS, localized
from ..models import Unit, User
from ..services.errors import Rejected
from ..services.workflow import accounts
from .guard import actor, requires

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


def _form() -> accounts.AccountForm:
    form = request.form
    return accounts.AccountForm(email=form.get("email", ""), name=form.get("name", ""),
                                role=form.get("role", ""), unit_code=form.get("unit", ""),
                                active=form.get("active") == "1")


def _choices() -> dict:
    units = db.session.scalars(select(Unit).where(Unit.retired_on.is_(None)).order_by(Unit.sort))
    return {"roles": [(role, ROLE_LABELS[role]) for role in perms.ROLES],
            "units": [(u.code, localized(u)) for u in units]}


def _list(form=None, errors=None, status=200):
    return render_template("staff/admin/users.html", users=accounts.accounts(),
                           form=form or accounts.AccountForm(role="officer"),
                           errors=errors or {}, **_choices()), status


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id) if user_id < 2**63 else None
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@requires(perms.USERS)
def users():
    return _list()


@bp.post("/users")
@requires(perms.USERS)
def create_user():
    form = _form()
    try:
        user, password = accounts.create(actor(), form)
    except Rejected as refused:
        return _list(form, refused.errors, 422)
    return render_template("staff/admin/password.html", user=user, password=password)


@bp.get("/users/<int:user_id>")
@requires(perms.USERS)
def edit_user(user_id: int):
    user = _user(user_id)
    form = accounts.AccountForm(user.email, user.name, user.role,
                                user.unit.code if user.unit else "", user.active)
    return render_template("staff/admin/user.html", user=user, form=form, errors={}, **_choices())


@bp.post("/users/<int:user_id>")
@requires(perms.USERS)
def update_user(user_id: int):
    user, form = _user(user_id), _form()
    try:
        accounts.update(actor(), user, form)
    except Rejected as refused:
        db.session.rollback()
        return render_template("staff/admin/user.html", user=user, form=form,
                               errors=refused.errors, **_choices()), 422
    flash(_("Đã lưu tài khoản %(email)s.", email=user.email))
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@requires(perms.USERS)
def reset_password(user_id: int):
    user = _user(user_id)
    password = accounts.reset_password(actor(), user)
    return render_template("staff/admin/password.html", user=user, password=password)
