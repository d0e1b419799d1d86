"""Staff accounts: create or update one (used by the CLI)."""
from __future__ import annotations

from sqlalchemy import func, select

from ..domain.contact import email_normalised
from ..extensions import db
from ..models import Unit, User
from ..models.staff import ROLES

MIN_PASSWORD = 10


class StaffError(ValueError):
    pass


def save_user(email: str, password: str, role: str, unit_code: str | None = None,
              name: str = "") -> tuple[User, bool]:
    """Create the account, or update its password, role and unit. Commits once."""
    address = email_normalised(email)
    if address is None:
        raise StaffError(f"not an e-mail address: {email!r}")
    if role not in ROLES:
        raise StaffError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"the password must have at least {MIN_PASSWORD} characters")
    unit = None
    if unit_code:
        unit = db.session.scalars(select(Unit).filter_by(code=unit_code)).first()
        if unit is None:
            raise StaffError(f"unknown unit {unit_code!r}")
    user = db.session.scalars(
        select(User).where(func.lower(User.email) == address.lower())
    ).first()
    created = user is None
    if created:
        user = User(email=address.lower())
        db.session.add(user)
    user.role, user.unit, user.active = role, unit, True
    if name:
        user.name = name
    user.set_password(password)
    db.session.commit()
    return user, created
