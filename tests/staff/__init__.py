"""Helpers for the staff tests: accounts made by the real service, signed in
through the real login form, and calls as the voice webhooks record them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from feedback.domain.permissions import UNIT_ROLES
from feedback.extensions import db
from feedback.models import Call, CallbackItem, Hotline, Recording, User
from feedback.models.types import utcnow
from feedback.services.workflow.accounts import save_user
from tests.fakes.webhooks import sid

PASSWORD = "mat-khau-tong-dai-2021"
CALLER = "+84912345678"
OTHER_CALLER = "+84987654321"


def make_user(email: str = "tongdai@vungtau.example", role: str = "operator",
              name: str = "Trần Thị Tổng Đài") -> User:
    unit = "p-tn-mt" if role in UNIT_ROLES else None
    user, _ = save_user(email, PASSWORD, role, unit, name=name)
    return user


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/staff/login", data={"email": email, "password": password})


def signed_in_operator(client, email: str = "tongdai@vungtau.example") -> User:
    user = make_user(email)
    response = sign_in(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def make_call(from_number: str = CALLER, hotline: str = "hl-citizen", status: str = "completed",
              started_at: datetime | None = None, **fields) -> Call:
    line = db.session.scalars(select(Hotline).filter_by(code=hotline)).one()
    call = Call(call_sid=sid("CA"), from_number=from_number, to_number=line.e164, hotline=line,
                status=status, started_at=started_at or utcnow(), **fields)
    db.session.add(call)
    db.session.commit()
    return call


def make_recording(call: Call, url: str, purpose: str = "voicemail") -> Recording:
    recording = Recording(recording_sid=sid("RE"), call=call, url=url, duration=17, purpose=purpose)
    db.session.add(recording)
    db.session.commit()
    return recording


def make_callback(call: Call, reason: str = "missed", recording: Recording | None = None) -> CallbackItem:
    item = CallbackItem(call=call, phone=call.from_number, reason=reason, recording=recording,
                        created_at=call.started_at)
    db.session.add(item)
    db.session.commit()
    return item
