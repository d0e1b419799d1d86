def test_home_explains_the_service_and_shows_both_hotlines(client):
    page = client.get("/").get_data(as_text=True)
    assert "088 8800 147" in page and "088 8801 247" in page
    assert 'href="tel:+84888800147"' in page and 'href="tel:+84888801247"' in page
    for link in ('href="/submit"', 'href="/track"', 'href="/results"'):
        assert link in page


def test_results_list_published_answers_and_nothing_private(client, db):
    from feedback.domain import states
    from tests import factories as f

    city = f.staff("city_office")
    words = f.case_in(states.APPROVED, consent_publish=True, name="Nguyễn Văn An")
    no_words = f.case_in(states.APPROVED, consent_publish=False)
    for case in (words, no_words):
        f.lifecycle.act(f.actor(city), case, "publish",
                        f.lifecycle.Given(words="Hồ sơ đất của gia đình trễ hẹn.", checked=True))
    unpublished = f.case_in(states.APPROVED)
    sealed = f.case_in(states.APPROVED, sealed=True)
    f.lifecycle.act(f.actor(f.staff("inspectorate", unit="thanh-tra")), sealed, "close", f.lifecycle.Given())
    page = client.get("/results").get_data(as_text=True)
    for case in (words, no_words):
        assert f"/results/{case.code}" in page
    for case in (unpublished, sealed):
        assert case.code not in page
    assert f.SUMMARY in page and "Đúng hạn" in page
    assert "Nguyễn Văn An" not in page and f.DENOUNCER["name"] not in page


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "off"}


def test_unknown_page_is_a_finished_404(client):
    response = client.get("/khong-co", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "<html lang=\"en\">" in response.get_data(as_text=True)
