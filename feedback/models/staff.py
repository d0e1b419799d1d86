"""Staff accounts. What each role may do is in domain/permissions.py."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Optional

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .org import Unit
from .types import UTCDateTime, utcnow

# werkzeug's scrypt at its default cost. The sign-in checks a dummy hash of the
# same method when the e-mail is unknown (services/workflow/accounts.py), so both
# take as long. Only the tests set PASSWORD_METHOD, to a cheaper scrypt.
PASSWORD_METHOD = "scrypt"


def password_method() -> str:
    return current_app.config.get("PASSWORD_METHOD", PASSWORD_METHOD)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Part of every session's user id (get_id): a new token ends all sessions.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # Wrong passwords in a row, and until when the account refuses to sign in.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    unit: Mapped[Optional[Unit]] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie: the id and the current
        session token, so that a cookie copied before sign-out stops working."""
        return f"{self.id}.{self.session_token}"

    def end_sessions(self) -> None:
        """Sign the user out everywhere: every session cookie names the old token."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        """A new password ends every session signed in with the old one, and
        lifts a lock-out earned by guesses at the old one."""
        self.password_hash = generate_password_hash(password, method=password_method())
        self.failed_logins, self.locked_until = 0, None
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
