import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.settings import ROOT
from feedback.domain import states, trackcode
from feedback.models import Attachment, Case, CaseEvent
from feedback.services import intake
from feedback.services.errors import Rejected
from feedback.services.intake.attachments import Upload
from tests.factories import make_case, make_submission
from tests.domain.test_files import PDF, PNG, docx_bytes

pytestmark = pytest.mark.usefixtures("app")


def case_count(db):
    return db.session.scalar(select(func.count()).select_from(Case))


def rejected(**overrides) -> dict:
    with pytest.raises(Rejected) as info:
        make_case(**overrides)
    return info.value.errors


def test_case_gets_a_valid_code_a_unit_deadlines_and_public_events():
    case = make_case(category_code="dat-dai")
    assert trackcode.normalise(case.code) == case.code
    assert case.unit is not None and case.due_on is not None
    assert [(e.action, e.public) for e in case.events] == [("received", True), ("routed", True)]
    assert case.events[1].to_state == states.ASSIGNED


def test_decomposed_vietnamese_is_stored_as_nfc(db):
    text = "Đề nghị giải quyết hồ sơ đăng ký kết hôn đúng hạn."
    case = make_case(description=unicodedata.normalize("NFD", text),
                     name=unicodedata.normalize("NFD", "Trần Thị Ngọc Ánh"))
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert stored.description == text
    assert stored.reporter.name == "Trần Thị Ngọc Ánh"
    assert unicodedata.is_normalized("NFC", stored.description)


def test_phone_is_stored_in_e164_and_email_normalised():
    case = make_case(phone="0912.345.678", email="An@Example.VN")
    assert case.reporter.phone == "+84912345678"
    assert case.reporter.email == "An@example.vn"


def test_missing_contact_is_refused(db):
    errors = rejected(phone="", email="")
    assert "phone" in errors
    assert case_count(db) == 0


def test_every_error_is_reported_at_once():
    errors = rejected(kind="xyz", description="ngắn", name="", phone="123")
    assert set(errors) == {"kind", "description", "name", "phone"}


def test_business_needs_a_name_and_a_valid_tax_code():
    errors = rejected(reporter_type="business", business_name="", tax_code="0100109107")
    assert set(errors) == {"business_name", "tax_code"}
    case = make_case(reporter_type="business", business_name="Công ty TNHH Biển Xanh",
                     tax_code="0100109106 001")
    assert case.reporter.tax_code == "0100109106-001"
    assert case.reporter_type == "business"


def test_business_fields_are_dropped_for_a_citizen():
    case = make_case(business_name="Công ty X", tax_code="0100109106")
    assert case.reporter.business_name is None and case.reporter.tax_code is None


def test_procedure_must_belong_to_the_category():
    errors = rejected(category_code="dat-dai", procedure_code="ho-tich/dang-ky-khai-sinh")
    assert set(errors) == {"procedure"}
    case = make_case(category_code="ho-tich", procedure_code="ho-tich/dang-ky-khai-sinh")
    assert case.procedure.name_vi == "Đăng ký khai sinh"


def test_unknown_ward_or_an_office_as_ward_is_refused():
    assert set(rejected(ward_code="w-99")) == {"ward"}
    assert set(rejected(ward_code="p-noi-vu")) == {"ward"}


def test_sms_may_come_without_a_name_but_a_denunciation_may_not():
    assert make_case(channel="sms", name="").reporter.name == ""
    assert "name" in rejected(channel="sms", name="", kind="to-cao")


def test_attachments_are_stored_outside_the_web_root(app, db):
    case = make_case(uploads=[Upload("ảnh hồ sơ.png", PNG), Upload("don.docx", docx_bytes())])
    stored = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [a.content_type for a in stored] == ["image/png", stored[1].content_type]
    assert stored[0].original_name == "ảnh hồ sơ.png"
    for row in stored:
        path = Path(app.config["UPLOAD_DIR"]) / row.stored_name
        assert path.is_file()
        assert not path.resolve().is_relative_to(ROOT / "static")
        assert row.case_id == case.id and len(row.sha256) == 64


def test_disguised_and_oversized_files_are_refused(app, db):
    errors = rejected(uploads=[Upload("anh.jpg", PDF)])
    assert "attachments" in errors
    errors = rejected(uploads=[Upload("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert "attachments" in errors
    big = PNG + b"\x00" * app.config["MAX_ATTACHMENT_BYTES"]
    assert "attachments" in rejected(uploads=[Upload("to.png", big)])
    too_many = [Upload(f"{i}.png", PNG) for i in range(app.config["MAX_ATTACHMENTS"] + 1)]
    assert "attachments" in rejected(uploads=too_many)
    assert case_count(db) == 0
    assert not Path(app.config["UPLOAD_DIR"]).exists()


def test_a_failed_commit_leaves_no_case_and_no_file(app, db, monkeypatch):
    def broken_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        make_case(uploads=[Upload("a.png", PNG)])
    monkeypatch.undo()
    assert case_count(db) == 0
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == 0
    assert list(Path(app.config["UPLOAD_DIR"]).rglob("*.png")) == []


def test_submission_object_is_normalised_in_place():
    sub = make_submission(phone=" 0912 345 678 ", name="  Lê   Văn  Tám ")
    intake.submit(sub)
    assert (sub.phone, sub.name) == ("+84912345678", "Lê Văn Tám")
