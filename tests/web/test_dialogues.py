"""Dialogue sessions: announced by the city office or a unit head, questions
sent online become cases of channel "dialogue" for the unit holding it, and
after the session its outcome and the published answers show on its page."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.domain.calendar import LOCAL_TZ
from feedback.extensions import db
from feedback.models import Case, Dialogue, DialogueRegistration
from feedback.models.types import utcnow
from feedback.services.workflow.access import SYSTEM
from feedback.services.workflow.lifecycle import Given, act
from tests import factories as f


def local(moment):
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def announce(client, **values):
    form = {"title": "Đối thoại về đăng ký đất đai", "unit": f.UNIT, "place": "Hội trường UBND thành phố",
            "starts_at": local(utcnow() + timedelta(days=10)), "topic": "Cấp giấy chứng nhận lần đầu",
            "procedures": ["dat-dai/dang-ky-cap-giay-chung-nhan-lan-dau"]}
    form.update(values)
    return client.post("/staff/dialogues", data=form)


@pytest.fixture
def dialogue(client):
    f.sign_in_as(client, f.staff("city_office"))
    assert announce(client).status_code == 302
    client.post("/staff/logout")
    return db.session.scalars(select(Dialogue)).one()


def test_the_city_office_announces_and_the_public_sees_it_coming(client, dialogue):
    html = client.get("/dialogues").get_data(as_text=True)
    assert "Sắp diễn ra" in html and "Đối thoại về đăng ký đất đai" in html
    page = client.get(f"/dialogues/{dialogue.id}").get_data(as_text=True)
    assert "Hội trường UBND thành phố" in page and 'name="question"' in page


def test_a_question_becomes_a_case_for_the_unit_holding_the_dialogue(client, dialogue):
    response = client.post(f"/dialogues/{dialogue.id}/register", data={
        "name": "Lê Văn Hỏi", "phone": "0912 000 222", "reporter_type": "citizen",
        "question": "Xin hỏi hồ sơ cấp giấy lần đầu cần những giấy tờ gì và bao lâu có kết quả?"})
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert (case.channel, case.unit.code, case.dialogue_id) == ("dialogue", f.UNIT, dialogue.id)
    assert case.events[-1].reason == "dialogue"
    registration = db.session.scalars(select(DialogueRegistration)).one()
    assert (registration.phone, registration.case_id) == ("+84912000222", case.id)
    assert "Lê Văn Hỏi" not in client.get(f"/dialogues/{dialogue.id}").get_data(as_text=True)


def test_registering_without_a_question_needs_a_contact(client, dialogue):
    response = client.post(f"/dialogues/{dialogue.id}/register", data={"name": "Lê Văn Dự"})
    assert response.status_code == 422 and "số điện thoại hoặc email" in response.get_data(as_text=True)
    ok = client.post(f"/dialogues/{dialogue.id}/register", data={"name": "Lê Văn Dự", "email": "du@example.vn"})
    assert ok.status_code == 302 and db.session.scalars(select(Case)).first() is None


def test_after_the_session_the_outcome_and_answers_are_published(client, dialogue):
    client.post(f"/dialogues/{dialogue.id}/register", data={
        "name": "Lê Văn Hỏi", "email": "hoi@example.vn",
        "question": "Xin hỏi thời hạn cấp giấy chứng nhận lần đầu là bao lâu?"})
    case = db.session.scalars(select(Case)).one()
    dialogue.starts_at = utcnow() - timedelta(hours=2)  # the session took place
    db.session.commit()
    f.move(case, "approved")
    act(SYSTEM, case, "publish", Given(summary="Thời hạn cấp giấy chứng nhận lần đầu", checked=True),
        notify_reporter=False)
    head = f.sign_in_as(client, f.staff("unit_head"))
    response = client.post(f"/staff/dialogues/{dialogue.id}/outcome",
                           data={"outcome": "Lãnh đạo phòng đã trả lời 12 câu hỏi; thời hạn là 30 ngày."})
    assert response.status_code == 302 and head
    page = client.get(f"/dialogues/{dialogue.id}").get_data(as_text=True)
    assert "Lãnh đạo phòng đã trả lời 12 câu hỏi" in page
    assert "Thời hạn cấp giấy chứng nhận lần đầu" in page and 'name="question"' not in page


def test_a_unit_head_announces_only_for_their_unit(client, app):
    f.sign_in_as(client, f.staff("unit_head"))
    response = announce(client, unit=f.OTHER_UNIT)
    assert response.status_code == 422 and "đơn vị của mình" in response.get_data(as_text=True)
    assert announce(client).status_code == 302


@pytest.mark.parametrize("values,message", [
    ({"title": ""}, "tên buổi đối thoại"),
    ({"starts_at": "2020-01-01T08:00"}, "sau lúc này"),
    ({"starts_at": "nonsense"}, "sau lúc này"),
])
def test_a_bad_announcement_is_refused_beside_its_field(client, app, values, message):
    f.sign_in_as(client, f.staff("city_office"))
    response = announce(client, **values)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_officers_and_the_public_cannot_organise(client, dialogue):
    assert client.get("/staff/dialogues").status_code == 302
    f.sign_in_as(client, f.staff("officer"))
    assert client.get("/staff/dialogues").status_code == 403
    assert client.post(f"/staff/dialogues/{dialogue.id}/outcome", data={"outcome": "x" * 30}).status_code == 403
