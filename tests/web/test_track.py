from feedback.domain import trackcode
from feedback.models.types import utcnow
from tests.factories import make_case


def test_track_shows_state_unit_deadline_and_public_timeline(client, app):
    case = make_case(category_code="dat-dai", email="an@example.vn",
                     description="Nội dung riêng tư: số nhà 12 đường Ba Cu, CCCD 079123456789.")
    page = client.get(f"/track/{case.code}").get_data(as_text=True)
    assert "Đã chuyển đơn vị xử lý" in page
    assert "Phòng Tài nguyên và Môi trường" in page
    assert f"{case.due_on:%d/%m/%Y}" in page
    assert "Tiếp nhận" in page and "Chuyển đơn vị phụ trách lĩnh vực" in page
    for private in ("Nguyễn Văn An", "0912", "+8491", "an@example.vn", "CCCD", "Ba Cu"):
        assert private not in page


def test_code_typed_with_spaces_or_hyphens_redirects_to_the_case(client):
    case = make_case()
    spaced = trackcode.display(case.code)
    response = client.get(f"/track/{spaced}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/track/{case.code}")
    hyphenated = f"{case.code[:3]}-{case.code[3:6]}-{case.code[6:]}"
    response = client.get("/track", query_string={"code": hyphenated})
    assert response.headers["Location"].endswith(f"/track/{case.code}")


def test_mistyped_code_is_refused_with_a_clear_404(client):
    case = make_case()
    typo = case.code[:4] + str((int(case.code[4]) + 1) % 10) + case.code[5:]
    response = client.get(f"/track/{typo}")
    assert response.status_code == 404
    assert "số kiểm tra" in response.get_data(as_text=True)


def test_unknown_valid_code_is_a_404(client):
    code = trackcode.generate()
    response = client.get(f"/track/{code}", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Report not found" in response.get_data(as_text=True)


def test_published_answer_is_shown(client, db):
    case = make_case()
    case.state, case.answer, case.answered_at = "published", "Hồ sơ đã được trả kết quả ngày 20/11.", utcnow()
    db.session.commit()
    page = client.get(f"/track/{case.code}").get_data(as_text=True)
    assert "Hồ sơ đã được trả kết quả ngày 20/11." in page


def test_track_pages_are_not_cached(client):
    case = make_case()
    assert client.get(f"/track/{case.code}").headers["Cache-Control"] == "no-store"
