"""Staff accounts: signing in and out, and the admin's account management.

Every change and every sign-in attempt is written to the audit log. Passwords
are only ever stored hashed; a password the admin resets is generated here,
shown once, and must be changed by telling it to its owner in person. Signing
out, a new password and deactivation end every session of the account.
"""
from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update as sql_update
from werkzeug.security import check_password_hash, generate_password_hash

from ...domain.contact import email_normalised
from ...domain.permissions import ROLES, UNIT_ROLES
from ...domain.text import clean_line
from ...extensions import db
from ...models import Unit, User
from ...models.staff import password_method
from ...models.types import utcnow
from ..errors import Rejected
from . import audit
from .access import SYSTEM, Actor

MIN_PASSWORD = 10
UNAUTHORISED = 401


@dataclass
class AccountForm:
    email: str = ""
    name: str = ""
    role: str = ""
    unit_code: str = ""
    active: bool = True


def find_by_email(email: str) -> User | None:
    return db.session.scalars(
        select(User).where(func.lower(User.email) == (email or "").strip().lower())
    ).first()


def sign_in(email: str, password: str, address: str | None) -> User:
    """The active user with this e-mail and password; else Rejected (401).

    Every attempt checks exactly one password hash of the users' method, so an
    unknown e-mail, an inactive or locked account and a wrong password take as
    long to refuse as a right one to accept: timing tells no one which e-mails
    exist. Only the right password learns that the account is locked. Every
    failure is audited. Commits.
    """
    user = find_by_email(email)
    valid = user.check_password(password) if user is not None else _dummy_check(password)
    now = utcnow()
    if user is None or not user.active or _locked(user, now) or not valid:
        _refuse(user, email, valid, address, now)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    if not user.session_token:  # an account older than session tokens
        user.end_sessions()
    audit.record_now(Actor(user, address), "auth.sign_in")
    return user


@cache
def _dummy_hash(method: str) -> str:
    """Checked when the e-mail is unknown: same method and cost as the users'."""
    return generate_password_hash(secrets.token_hex(16), method=method)


def _dummy_check(password: str) -> bool:
    check_password_hash(_dummy_hash(password_method()), password)
    return False


def _locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _refuse(user: User | None, email: str, valid: bool, address: str | None, now: datetime):
    """Audit the failed attempt (and count a wrong password against an active
    account), then refuse."""
    active = user is not None and user.active
    locked = active and _locked(user, now)
    audit.record(Actor(None, address), "auth.sign_in_failed", target=clean_line(email)[:200] or "-",
                 detail="locked" if locked else None)
    message = _l("Email hoặc mật khẩu không đúng.")
    if locked and valid:
        minutes = math.ceil((user.locked_until - now).total_seconds() / 60)
        message = _l("Tài khoản đang tạm khóa vì nhập sai mật khẩu nhiều lần. "
                     "Hãy thử lại sau %(n)d phút.", n=minutes)
    elif active and not locked:
        _count_failure(user, address, now)
    db.session.commit()
    raise Rejected({"": message}, UNAUTHORISED)


def _count_failure(user: User, address: str | None, now: datetime) -> None:
    """One more wrong password in a row (counted in SQL: attempts run at once);
    at LOGIN_LOCKOUT_FAILURES the account is locked for LOGIN_LOCKOUT_MINUTES."""
    limit, minutes = (current_app.config[name] for name in (
        "LOGIN_LOCKOUT_FAILURES", "LOGIN_LOCKOUT_MINUTES"))
    failures = db.session.execute(
        sql_update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins).execution_options(synchronize_session=False)
    ).scalar_one()
    if limit > 0 and failures >= limit:
        user.locked_until = now + timedelta(minutes=minutes)
        user.failed_logins = 0
        audit.record(Actor(None, address), "auth.locked", target=user.email,
                     detail=f"failures={failures} until={user.locked_until:%Y-%m-%dT%H:%MZ}")


def sign_out(user: User, address: str | None) -> None:
    """End every session of the user, on every device (a copied cookie too). Commits."""
    user.end_sessions()
    audit.record_now(Actor(user, address), "auth.sign_out")


def _unit(form: AccountForm, errors: dict) -> Unit | None:
    unit = None
    if form.unit_code:
        unit = db.session.scalars(select(Unit).filter_by(code=form.unit_code)).first()
        if unit is None:
            errors["unit"] = _l("Đơn vị không hợp lệ.")
    elif form.role in UNIT_ROLES:
        errors["unit"] = _l("Cán bộ xử lý và lãnh đạo đơn vị phải thuộc một đơn vị.")
    return unit


def _validated(form: AccountForm, user: User | None) -> tuple[str, Unit | None]:
    errors: dict[str, str] = {}
    address = email_normalised(form.email or "")
    if address is None:
        errors["email"] = _l("Địa chỉ email không hợp lệ.")
    elif (other := find_by_email(address)) is not None and other is not user:
        errors["email"] = _l("Đã có tài khoản với email này.")
    if form.role not in ROLES:
        errors["role"] = _l("Hãy chọn vai trò.")
    if len(clean_line(form.name)) > 200:  # the column's size (tests/test_fuzz.py)
        errors["name"] = _l("Tên dài quá %(n)d ký tự.", n=200)
    unit = _unit(form, errors)
    if errors:
        raise Rejected(errors)
    return address.lower(), unit


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Rejected({"password": _l("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_PASSWORD)})


def save_user(email: str, password: str, role: str, unit_code: str | None = None,
              name: str = "", actor: Actor = SYSTEM) -> tuple[User, bool]:
    """Create the account, or update its password, role and unit (the CLI). Commits once."""
    _check_password(password)
    existing = find_by_email(email)
    address, unit = _validated(AccountForm(email, name, role, unit_code or ""), existing)
    user = existing or User(email=address)
    db.session.add(user)
    user.role, user.unit, user.active = role, unit, True
    user.name = clean_line(name) or user.name or ""
    user.set_password(password)
    db.session.flush()
    audit.record(actor, "user.create" if existing is None else "user.update", target=address,
                 detail=f"role={role} unit={unit_code or '-'}")
    db.session.commit()
    return user, existing is None


def create(actor: Actor, form: AccountForm) -> tuple[User, str]:
    """A new account with a generated password, shown once. Commits once."""
    if find_by_email(form.email) is not None:
        raise Rejected({"email": _l("Đã có tài khoản với email này.")})
    password = new_password()
    user, _ = save_user(form.email, password, form.role, form.unit_code, form.name, actor)
    return user, password


def update(actor: Actor, user: User, form: AccountForm) -> User:
    """Change name, role, unit and whether the account may sign in. Commits once."""
    form.email = user.email
    _, unit = _validated(form, user)
    if user.id == actor.user.id and (not form.active or form.role != user.role):
        raise Rejected({"role": _l("Bạn không thể tự đổi vai trò hay khóa tài khoản của mình.")})
    changes = [f"{name}={value}" for name, value, old in (
        ("role", form.role, user.role), ("unit", form.unit_code or "-", user.unit.code if user.unit else "-"),
        ("active", form.active, user.active), ("name", clean_line(form.name), user.name)) if value != old]
    if user.active and not form.active:
        user.end_sessions()
    user.name, user.role, user.unit, user.active = clean_line(form.name), form.role, unit, form.active
    audit.record(actor, "user.update", target=user.email, detail=" ".join(changes) or None)
    db.session.commit()
    return user


def reset_password(actor: Actor, user: User) -> str:
    """A new generated password for `user`, shown once. Commits once."""
    password = new_password()
    user.set_password(password)
    audit.record(actor, "user.password_reset", target=user.email)
    db.session.commit()
    return password


def new_password() -> str:
    """Four groups of letters and digits: long enough, and easy to read out."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def accounts() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))
