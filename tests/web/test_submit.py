import io
import re
import unicodedata

import pytest
from sqlalchemy import func, select

from feedback import create_app
from feedback.models import Case
from tests.domain.test_files import PDF, PNG

FORM = {
    "kind": "khieu-nai",
    "reporter_type": "citizen",
    "category": "dat-dai",
    "procedure": "",
    "ward": "w-7",
    "description": "Tôi khiếu nại quyết định thu hồi đất số 45/QĐ-UBND của UBND thành phố.",
    "name": "Phạm Thị Hoa",
    "phone": "0912 345 678",
    "email": "",
    "consent_publish": "y",
}


def case_count(db):
    return db.session.scalar(select(func.count()).select_from(Case))


def post(client, **changes):
    data = {**FORM, **changes}
    return client.post("/submit", data=data, content_type="multipart/form-data")


def test_form_is_vietnamese_by_default_with_every_field(client):
    page = client.get("/submit").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Gửi phản ánh, kiến nghị" in page
    for name in ("kind", "reporter_type", "business_name", "tax_code", "category", "procedure",
                 "ward", "description", "name", "phone", "email", "consent_publish", "attachments"):
        assert f'name="{name}"' in page
    for name in ("description", "name", "phone", "email", "category", "ward"):
        assert re.search(rf'<label for="{name}"', page), name
    assert "Phường Thắng Nhì" in page and "Xã Long Sơn" in page


def test_english_from_accept_language_and_from_the_switch(client):
    page = client.get("/submit", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Send feedback" in page
    response = client.get("/lang/vi?next=/submit")
    assert response.status_code == 302 and response.headers["Location"] == "/submit"
    page = client.get("/submit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="vi">' in page


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_success_shows_code_unit_and_due_date(client, db):
    response = post(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    case = db.session.scalars(select(Case)).one()
    assert case.code[:3] in page and case.code[6:] in page
    assert "Thanh tra thành phố" in page
    assert f"{case.due_on:%d/%m/%Y}" in page
    assert case.channel == "web" and case.consent_publish


def test_bad_input_keeps_what_was_typed_and_explains_each_field(client, db):
    typed = unicodedata.normalize("NFD", "Mô tả có dấu đầy đủ nhưng thiếu liên hệ")
    response = post(client, phone="", email="khong-phai-email", description=typed,
                    reporter_type="business", business_name="Công ty Sao Biển", tax_code="123")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="error-summary"' in page
    assert 'id="email-error"' in page and 'id="tax_code-error"' in page
    assert 'aria-invalid="true"' in page
    assert "Công ty Sao Biển" in page and "Phạm Thị Hoa" in page and "khong-phai-email" in page
    assert unicodedata.normalize("NFC", typed) in page
    assert 'value="w-7" selected' in page and 'value="dat-dai" selected' in page
    assert case_count(db) == 0


def test_errors_in_english(client):
    page = client.post("/submit", data={**FORM, "phone": "", "email": ""},
                       headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Enter a phone number or an e-mail" in page or "phone number or email" in page


def test_attachment_through_the_form(client, db):
    response = post(client, attachments=[(io.BytesIO(PNG), "anh.png"), (io.BytesIO(PDF), "don.pdf")])
    assert response.status_code == 302
    assert len(db.session.scalars(select(Case)).one().attachments) == 2


def test_disguised_attachment_is_refused_beside_the_field(client, db):
    response = post(client, attachments=[(io.BytesIO(b"<?php evil(); ?>"), "anh.jpg")])
    assert response.status_code == 422
    assert 'id="attachments-error"' in response.get_data(as_text=True)
    assert case_count(db) == 0


def test_request_larger_than_the_limit_gets_a_clear_page(app, client, db):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = post(client, attachments=[(io.BytesIO(PNG + b"\x00" * 4096), "to.png")])
    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn" in response.get_data(as_text=True)
    assert case_count(db) == 0


def test_honeypot_keeps_nothing(client, db):
    response = post(client, website="http://spam.example")
    assert response.status_code == 200
    assert case_count(db) == 0


def test_csrf_token_is_required_and_a_stale_form_keeps_its_text(app, db):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = post(client)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Phiên làm việc đã hết hạn" in page and FORM["description"] in page
    assert case_count(db) == 0
    page = client.get("/submit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert post(client, csrf_token=token).status_code == 302
    assert case_count(db) == 1


def test_submissions_are_rate_limited(app, db_url, tmp_path):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": db_url,
        "UPLOAD_DIR": str(tmp_path), "WTF_CSRF_ENABLED": False,
        "SUBMIT_RATE_LIMIT": "2 per minute", "RATELIMIT_ENABLED": True,
    })
    client = app.test_client()
    with app.app_context():
        statuses = [post(client, website="x").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert "Bạn gửi quá nhiều lần" in post(client).get_data(as_text=True)
        assert client.get("/submit").status_code == 200


@pytest.mark.parametrize("path", ["/", "/submit", "/track", "/results"])
def test_pages_carry_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_language_switch_refuses_backslash_tricks(client):
    for target in ("/\\evil.example/", "https://evil.example/", "\\\\evil.example"):
        assert client.get("/lang/en", query_string={"next": target}).headers["Location"] == "/"
