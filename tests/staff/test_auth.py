"""Staff sign-in: hashed passwords, inactive accounts, the rate limit, sign-out,
CSRF on the staff forms, and the `users create` command."""
import re

from sqlalchemy import select

from feedback import create_app
from feedback.models import User
from tests.staff import PASSWORD, make_call, make_callback, make_user, sign_in


def test_operator_signs_in_and_lands_on_the_console(client):
    make_user("tongdai@vungtau.example", name="Lê Văn Trực")
    response = sign_in(client, "TongDai@VungTau.example")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    home = client.get("/staff/")
    assert home.status_code == 302 and home.headers["Location"] == "/staff/operator"
    page = client.get("/staff/operator").get_data(as_text=True)
    assert "Lê Văn Trực" in page


def test_wrong_password_is_refused_with_401(client):
    make_user("tongdai@vungtau.example")
    response = sign_in(client, "tongdai@vungtau.example", "mat-khau-sai-hoan-toan")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Email hoặc mật khẩu không đúng." in page
    assert 'value="tongdai@vungtau.example"' in page  # kept what was typed
    assert client.get("/staff/operator").status_code == 302  # still signed out


def test_unknown_account_is_refused_the_same_way(client):
    response = sign_in(client, "khong-co@vungtau.example")
    assert response.status_code == 401
    assert "Email hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_inactive_user_is_refused(client, db):
    user = make_user("nghi-viec@vungtau.example")
    user.active = False
    db.session.commit()
    response = sign_in(client, "nghi-viec@vungtau.example")
    assert response.status_code == 401
    assert client.get("/staff/operator").status_code == 302


def test_sign_in_never_redirects_off_site(client):
    make_user("tongdai@vungtau.example")
    response = client.post("/staff/login?next=//evil.example/x",
                           data={"email": "tongdai@vungtau.example", "password": PASSWORD})
    assert response.headers["Location"] == "/staff/"


def test_login_is_rate_limited(app, db_url, tmp_path):
    limited = create_app({
        "TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": db_url,
        "UPLOAD_DIR": str(tmp_path), "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "2 per minute",
    })
    client = limited.test_client()
    with limited.app_context():
        make_user("tongdai@vungtau.example")
        statuses = [sign_in(client, "tongdai@vungtau.example", "doan-mat-khau-sai").status_code
                    for _ in range(3)]
        assert statuses == [401, 401, 429]
        # Even the right password waits: guessing cannot go on past the limit.
        blocked = sign_in(client, "tongdai@vungtau.example")
        assert blocked.status_code == 429
        assert "quá nhiều lần" in blocked.get_data(as_text=True)
        assert client.get("/staff/login").status_code == 200  # only POSTs count


def test_sign_out_is_a_post(client):
    make_user("tongdai@vungtau.example")
    sign_in(client, "tongdai@vungtau.example")
    assert client.get("/staff/logout").status_code == 405
    assert client.get("/staff/operator").status_code == 200
    response = client.post("/staff/logout")
    assert response.headers["Location"] == "/staff/login"
    assert client.get("/staff/operator").status_code == 302


def test_users_create_reads_the_password_from_stdin(runner, client, db):
    result = runner.invoke(
        args=["users", "create", "Hoa.Tong-Dai@VungTau.example", "--role", "operator",
              "--name", "Phạm Thị Hoa"],
        input="mot-mat-khau-rat-dai\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created hoa.tong-dai@vungtau.example (operator)" in result.output
    user = db.session.scalars(select(User)).one()
    assert user.role == "operator" and user.name == "Phạm Thị Hoa"
    assert user.password_hash != "mot-mat-khau-rat-dai"  # stored hashed
    assert sign_in(client, "hoa.tong-dai@vungtau.example", "mot-mat-khau-rat-dai").status_code == 302


def test_users_create_refuses_a_short_password(runner, db):
    result = runner.invoke(args=["users", "create", "a@vungtau.example", "--role", "operator"],
                           input="ngan\n")
    assert result.exit_code != 0
    assert "ít nhất 10 ký tự" in result.output
    assert db.session.scalars(select(User)).first() is None


def test_forms_carry_a_csrf_token_that_the_app_checks(app, db_url, tmp_path):
    protected = create_app({
        "TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": db_url,
        "UPLOAD_DIR": str(tmp_path), "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": True,
    })
    client = protected.test_client()
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    with protected.app_context():
        make_user("tongdai@vungtau.example")
        item = make_callback(make_call(status="no-answer"))
        login_page = client.get("/staff/login").get_data(as_text=True)
        assert sign_in_with(client, token.search(login_page).group(1)).status_code == 302
        page = client.get("/staff/operator/callbacks").get_data(as_text=True)
        done = f"/staff/operator/callbacks/{item.id}/done"
        assert client.post(done, data={"note": "x"}).status_code == 400
        assert client.post(done, data={"note": "x", "csrf_token": token.search(page).group(1)}).status_code == 302


def sign_in_with(client, csrf_token: str):
    return client.post("/staff/login", data={
        "email": "tongdai@vungtau.example", "password": PASSWORD, "csrf_token": csrf_token})


def test_a_deactivated_account_is_signed_out_at_once(app, client, db):
    from feedback.models import User
    from feedback.services.workflow.accounts import save_user

    save_user("tat@example.vn", "mat-khau-dai-du-10", "operator")
    client.post("/staff/login", data={"email": "tat@example.vn", "password": "mat-khau-dai-du-10"})
    assert client.get("/staff/operator").status_code == 200
    user = db.session.scalars(db.select(User).filter_by(email="tat@example.vn")).one()
    user.active = False
    db.session.commit()
    assert client.get("/staff/operator").status_code == 302
