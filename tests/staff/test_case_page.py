"""The case page and its actions, through HTTP as the staff use them."""
import pytest
from sqlalchemy import select

from feedback.domain import states
from feedback.extensions import db
from feedback.models import AuditEntry
from feedback.services.intake.attachments import Upload
from tests import factories as f
from tests.domain.test_files import PNG


def page(client, case):
    response = client.get(f"/staff/cases/{case.code}")
    return response, response.get_data(as_text=True)


def post(client, case, action, **data):
    data.setdefault("version", str(f.refresh(case).version))
    return client.post(f"/staff/cases/{case.code}/{action}", data=data)


def test_the_officer_sees_the_case_with_contact_and_only_the_actions_allowed_now(client):
    f.sign_in_as(client, f.staff("officer"))
    case = f.ordinary_case(name="Ngô Thị Liên", phone="0912 345 678")
    response, html = page(client, case)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Ngô Thị Liên" in html and "0912 345 678" in html
    for action in ("accept", "return", "progress", "note"):
        assert f'/staff/cases/{case.code}/{action}"' in html
    for action in ("approve", "publish", "assign", "reopen"):
        assert f'/staff/cases/{case.code}/{action}"' not in html
    assert html.count('name="csrf_token"') >= 4


def test_the_operator_reads_without_contact_or_actions(client):
    f.sign_in_as(client, f.staff("operator"))
    case = f.ordinary_case(name="Ngô Thị Liên", phone="0912 345 678")
    response, html = page(client, case)
    assert response.status_code == 200
    assert "Ngô Thị Liên" not in html and "0912 345 678" not in html
    assert "/accept" not in html and "Bạn chỉ được xem" in html


def test_an_officer_of_another_unit_gets_404(client):
    f.sign_in_as(client, f.staff("officer", unit=f.OTHER_UNIT))
    case = f.ordinary_case()
    assert page(client, case)[0].status_code == 404
    assert post(client, case, "accept").status_code == 404


def test_a_wrong_code_shape_is_404_not_an_error(client):
    f.sign_in_as(client, f.staff("city_office"))
    for code in ("123", "9" * 40, "abc", "1234567890"):
        assert client.get(f"/staff/cases/{code}").status_code == 404


def test_accept_then_answer_through_forms(client):
    f.sign_in_as(client, f.staff("officer"))
    case = f.ordinary_case()
    response = post(client, case, "accept")
    assert response.status_code == 302 and response.headers["Location"].endswith(case.code)
    response = post(client, case, "answer", summary=f.SUMMARY, public_text=f.ANSWER,
                    resolution="Đã cấp giấy")
    assert response.status_code == 302
    assert f.refresh(case).state == states.ANSWERED
    _, html = page(client, case)
    assert "Dự thảo, chờ lãnh đạo duyệt" in html and f.ANSWER in html


def test_a_refused_action_shows_the_page_with_the_error_and_keeps_the_text(client):
    f.sign_in_as(client, f.staff("officer"))
    case = f.case_in(states.IN_PROGRESS)
    response = post(client, case, "answer", summary="Tóm tắt", public_text="Ngắn quá")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Chưa thực hiện được" in html and "Ngắn quá" in html and 'id="answer-public_text"' in html


def test_a_wrong_state_is_409_with_a_message(client):
    f.sign_in_as(client, f.staff("officer"))
    case = f.case_in(states.IN_PROGRESS)
    response = post(client, case, "accept")
    assert response.status_code == 409
    assert "Không thể" in response.get_data(as_text=True)


def test_a_stale_form_is_409_and_says_who_changed_it(client):
    other = f.staff("officer", name="Đỗ Văn Sớm")
    f.sign_in_as(client, f.staff("officer"))
    case = f.ordinary_case()
    seen = str(case.version)
    from feedback.services.workflow import lifecycle
    lifecycle.act(f.actor(other), case, "accept", lifecycle.Given())
    response = post(client, case, "return", version=seen, reason="Không thuộc thẩm quyền")
    assert response.status_code == 409 and "Đỗ Văn Sớm" in response.get_data(as_text=True)
    assert f.refresh(case).state == states.IN_PROGRESS


def test_an_unknown_action_is_404(client):
    f.sign_in_as(client, f.staff("officer"))
    case = f.ordinary_case()
    assert post(client, case, "delete").status_code == 404


def test_returning_a_case_takes_the_officer_back_to_the_inbox(client):
    f.sign_in_as(client, f.staff("officer"))
    case = f.ordinary_case()
    response = post(client, case, "return", reason="Thuộc UBND phường")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"


def test_the_reviewer_sees_personal_data_highlighted(client):
    f.sign_in_as(client, f.staff("city_office"))
    case = f.case_in(states.APPROVED, name="Nguyễn Văn An")
    from feedback.models import Answer
    answer = db.session.scalars(select(Answer).where(Answer.case_id == case.id)).one()
    answer.public_text = "Đã gọi ông Nguyễn Văn An qua số 0912 345 678 để hẹn trả giấy."
    db.session.commit()
    _, html = page(client, case)
    assert '<mark title="họ tên người phản ánh">Nguyễn Văn An</mark>' in html
    assert '<mark title="số điện thoại">0912 345 678</mark>' in html


def test_attachments_download_only_through_the_check(client, app):
    case = f.ordinary_case(uploads=[Upload("ảnh hồ sơ.png", PNG)])
    attachment = case.attachments[0]
    url = f"/staff/cases/{case.code}/files/{attachment.id}"
    f.sign_in_as(client, f.staff("officer"))
    response = client.get(url)
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/staff/cases/{case.code}/files/{attachment.id + 1000}").status_code == 404
    other = f.ordinary_case(uploads=[Upload("khac.png", PNG)])
    assert client.get(f"/staff/cases/{case.code}/files/{other.attachments[0].id}").status_code == 404


def test_viewing_a_sealed_case_is_audited(client):
    supervisor = f.sign_in_as(client, f.staff("supervisor"))
    case = f.sealed_case()
    assert page(client, case)[0].status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.view_sealed")).one()
    assert (entry.user_id, entry.case_id, entry.address) == (supervisor.id, case.id, "127.0.0.1")


def test_similar_open_cases_are_offered_for_merging(client):
    f.sign_in_as(client, f.staff("officer"))
    first = f.ordinary_case(phone="0912 000 111", ward_code="w-1")
    second = f.ordinary_case(phone="0912 000 111", ward_code="w-1")
    _, html = page(client, second)
    assert "Phản ánh tương tự đang mở" in html and first.code in html
    response = post(client, second, "merge", target=first.code)
    assert response.status_code == 302 and f.refresh(second).state == states.MERGED


@pytest.mark.parametrize("role", ["officer", "city_office"])
def test_staff_pages_have_their_own_layout_and_a_sign_out(client, role):
    f.sign_in_as(client, f.staff(role))
    html = client.get("/staff/", follow_redirects=True).get_data(as_text=True)
    assert "site-footer" not in html and 'action="/staff/logout"' in html
    assert "Gửi phản ánh" not in html  # not the public menu


def test_not_allowed_is_a_page_with_a_way_home(client):
    f.sign_in_as(client, f.staff("officer"))
    response = client.get("/staff/audit")
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and 'href="/staff/"' in html and "Cán bộ xử lý" in html
