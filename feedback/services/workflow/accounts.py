"""Staff accounts: signing in, and the admin's account management.

Every change and every sign-in attempt is written to the audit log. Passwords
are only ever stored hashed; a password the admin resets is generated here,
shown once, and must be changed by telling it to its owner in person.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ...domain.contact import email_normalised
from ...domain.permissions import ROLES, UNIT_ROLES
from ...domain.text import clean_line
from ...extensions import db
from ...models import Unit, User
from ...models.types import utcnow
from ..errors import Rejected
from . import audit
from .access import SYSTEM, Actor

MIN_PASSWORD = 10
# Checked when the e-mail is unknown, so that a wrong address takes as long
# to refuse as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


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


def sign_in(email: str, password: str, address: str | None) -> User | None:
    """The active user with this e-mail and password, or None. Audited; commits."""
    user = find_by_email(email)
    valid = user.check_password(password) if user is not None else _dummy_check(password)
    if user is None or not valid or not user.active:
        audit.record_now(Actor(None, address), "auth.sign_in_failed",
                         target=clean_line(email)[:200] or "-")
        return None
    user.last_login_at = utcnow()
    audit.record_now(Actor(user, address), "auth.sign_in")
    return user


def _dummy_check(password: str) -> bool:
    check_password_hash(_DUMMY_HASH, password)
    return False


def sign_out(user: User, address: str | None) -> None:
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
