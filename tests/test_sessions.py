"""Sessions and accounts: signing out, a new password and deactivation end
every session on the server side; sign-in takes as long whether or not the
e-mail exists; repeated failures lock the account, audited.

(Before: a session cookie copied before sign-out still worked after it, and
an unknown e-mail was refused in a tenth of the time of a wrong password.)
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from feedback.models import AuditEntry, User, staff
from feedback.models.staff import password_method
from feedback.models.types import utcnow
from feedback.services.workflow import accounts
from tests import factories as f
from tests.staff import PASSWORD, make_user, sign_in

EMAIL = "tongdai@vungtau.example"


def copy_of_session(app, client):
    """Another browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/staff/operator").status_code == 200


def test_a_session_cookie_copied_before_sign_out_stops_working(app, client):
    make_user(EMAIL)
    sign_in(client, EMAIL)
    thief = copy_of_session(app, client)
    assert signed_in(thief)
    client.post("/staff/logout")
    assert not signed_in(thief) and not signed_in(client)


def test_signing_out_on_one_device_ends_the_others(app, client):
    make_user(EMAIL)
    phone, desk = app.test_client(), app.test_client()
    sign_in(phone, EMAIL), sign_in(desk, EMAIL)
    phone.post("/staff/logout")
    assert not signed_in(desk)
    assert sign_in(desk, EMAIL).status_code == 302 and signed_in(desk)  # a new sign-in works


def test_a_new_password_from_the_command_line_ends_every_session(app, client, runner):
    make_user(EMAIL)
    sign_in(client, EMAIL)
    result = runner.invoke(args=["users", "create", EMAIL, "--role", "operator"],
                           input="mot-mat-khau-moi-rat-dai\n")
    assert result.exit_code == 0, result.output
    assert not signed_in(client)


def test_a_deactivated_account_stays_signed_out_when_reactivated(app, client):
    admin = app.test_client()
    f.sign_in_as(admin, f.staff("admin"))
    user = make_user(EMAIL)
    sign_in(client, EMAIL)
    form = {"name": user.name, "role": "operator"}
    assert admin.post(f"/staff/admin/users/{user.id}", data=form).status_code == 302
    assert admin.post(f"/staff/admin/users/{user.id}", data={**form, "active": "1"}).status_code == 302
    assert not signed_in(client)
    assert sign_in(client, EMAIL).status_code == 302


def test_a_session_from_before_session_tokens_is_refused(app, client, db):
    """Accounts migrated from before: an empty token matches no session."""
    user = make_user(EMAIL)
    sign_in(client, EMAIL)
    user.session_token = ""
    db.session.commit()
    assert not signed_in(client)
    assert sign_in(client, EMAIL).status_code == 302 and signed_in(client)
    assert db.session.get(User, user.id).session_token


def audited(db, action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)).all()


def test_wrong_passwords_in_a_row_lock_the_account_for_a_while(app, client, db):
    app.config.update(LOGIN_LOCKOUT_FAILURES=3, LOGIN_LOCKOUT_MINUTES=10)
    user = make_user(EMAIL)
    statuses = [sign_in(client, EMAIL, "doan-sai-mat-khau").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    refused = sign_in(client, EMAIL)  # the right password, too soon
    page = refused.get_data(as_text=True)
    assert refused.status_code == 401 and "tạm khóa" in page and "10 phút" in page
    assert not signed_in(client)
    [lock] = audited(db, "auth.locked")
    assert lock.target == EMAIL and lock.address == "127.0.0.1" and "failures=3" in lock.detail
    failures = audited(db, "auth.sign_in_failed")
    assert len(failures) == 4 and failures[-1].detail == "locked"
    user = db.session.get(User, user.id)
    user.locked_until = utcnow() - timedelta(seconds=1)  # ten minutes later
    db.session.commit()
    assert sign_in(client, EMAIL).status_code == 302


def test_a_password_reset_by_the_admin_lifts_the_lock(app, client):
    app.config.update(LOGIN_LOCKOUT_FAILURES=2)
    user = make_user(EMAIL)
    for _ in range(2):
        sign_in(client, EMAIL, "doan-sai-mat-khau")
    admin = app.test_client()
    f.sign_in_as(admin, f.staff("admin"))
    page = admin.post(f"/staff/admin/users/{user.id}/password").get_data(as_text=True)
    password = re.search(r'<p class="big-code">([a-z0-9-]+)</p>', page).group(1)
    assert sign_in(client, EMAIL, password).status_code == 302


def test_a_wrong_password_while_locked_says_nothing_of_the_lock(app, client):
    app.config.update(LOGIN_LOCKOUT_FAILURES=2)
    make_user(EMAIL)
    for _ in range(3):
        page = sign_in(client, EMAIL, "doan-sai-mat-khau").get_data(as_text=True)
    assert "Email hoặc mật khẩu không đúng." in page and "tạm khóa" not in page


def test_a_right_password_starts_the_count_again(app, client):
    app.config.update(LOGIN_LOCKOUT_FAILURES=3)
    make_user(EMAIL)
    for _ in range(2):
        sign_in(client, EMAIL, "doan-sai-mat-khau")
    assert sign_in(client, EMAIL).status_code == 302
    client.post("/staff/logout")
    for _ in range(2):
        sign_in(client, EMAIL, "doan-sai-mat-khau")
    assert sign_in(client, EMAIL).status_code == 302


def test_unknown_e_mails_lock_nothing(app, client, db):
    app.config.update(LOGIN_LOCKOUT_FAILURES=2)
    for _ in range(3):
        assert sign_in(client, "khong-co@vungtau.example").status_code == 401
    assert audited(db, "auth.locked") == []


@pytest.fixture
def hashes_checked(monkeypatch) -> list[str]:
    """The method and cost (e.g. "scrypt:1024:8:1") of each stored hash a
    password is checked against; werkzeug still does each check."""
    checked = []

    def check(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$", 1)[0])
        return check_password_hash(pwhash, password)

    for module in (accounts, staff):
        monkeypatch.setattr(module, "check_password_hash", check)
    return checked


@pytest.mark.parametrize("case", ["unknown e-mail", "inactive account", "locked account"])
def test_sign_in_takes_as_long_whether_or_not_the_account_can_sign_in(app, client, db, case, hashes_checked):
    """Each refusal checks one password hash of the same method and cost as a
    wrong password's, and so takes as long (a refusal without a hash check
    took a tenth of the time)."""
    app.config.update(LOGIN_LOCKOUT_FAILURES=0)
    make_user(EMAIL)
    other = make_user("other@vungtau.example")
    if case == "inactive account":
        other.active = False
    if case == "locked account":
        other.locked_until = utcnow() + timedelta(hours=1)
    db.session.commit()
    address = "khong-co@vungtau.example" if case == "unknown e-mail" else other.email
    assert sign_in(client, EMAIL, "doan-sai-mat-khau").status_code == 401
    wrong_password, hashes_checked[:] = hashes_checked[:], []
    assert sign_in(client, address, "doan-sai-mat-khau").status_code == 401
    assert hashes_checked == wrong_password == [password_method()]


def test_a_right_password_is_checked_as_slowly_as_a_wrong_one(app, client):
    """The stored hash is werkzeug's scrypt at its full cost, as the dummy one,
    unless the configuration says otherwise (only the tests' does)."""
    del app.config["PASSWORD_METHOD"]
    user = make_user(EMAIL)
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert PASSWORD not in user.password_hash
