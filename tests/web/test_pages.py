from tests.conftest import make_case


def test_home_explains_the_service_and_shows_both_hotlines(client):
    page = client.get("/").get_data(as_text=True)
    assert "088 8800 147" in page and "088 8801 247" in page
    assert 'href="tel:+84888800147"' in page and 'href="tel:+84888801247"' in page
    for link in ('href="/submit"', 'href="/track"', 'href="/results"'):
        assert link in page


def test_results_list_only_consented_non_confidential_published_cases(client, db):
    from feedback.models.types import utcnow

    shown = make_case(consent_publish=True)
    hidden_no_consent = make_case(consent_publish=False)
    hidden_confidential = make_case(consent_publish=True, kind="to-cao",
                                    description="Tố cáo hành vi sai phạm của cán bộ địa chính.")
    for case in (shown, hidden_no_consent, hidden_confidential):
        case.state, case.answer, case.answered_at = "published", "Đã giải quyết.", utcnow()
    db.session.commit()
    page = client.get("/results").get_data(as_text=True)
    assert shown.code[:3] + " " + shown.code[3:6] in page
    assert hidden_no_consent.code[:3] + " " + hidden_no_consent.code[3:6] not in page
    assert hidden_confidential.code[:3] + " " + hidden_confidential.code[3:6] not in page
    assert "Nguyễn Văn An" not in page


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_unknown_page_is_a_finished_404(client):
    response = client.get("/khong-co", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "<html lang=\"en\">" in response.get_data(as_text=True)
