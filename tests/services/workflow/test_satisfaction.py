"""Satisfaction: a reply of 1-5 to the answer SMS, or the tracking page's form."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.domain import states
from feedback.extensions import db
from feedback.models import InboundMessage, Rating
from feedback.models.types import utcnow
from feedback.services.workflow import lifecycle
from feedback.services.workflow.lifecycle import Given
from tests import factories as f
from tests.factories import add_sending_number
from tests.fakes import webhooks
from tests.fakes.webhooks import sms_params
from tests.hotline import reply_of

PHONE = "+84912345678"
pytestmark = pytest.mark.org_data  # a sending number is added to a hotline


@pytest.fixture
def answered(app, fake_twilio):
    """A case answered to PHONE, its answer SMS sent through the fake Twilio."""
    add_sending_number()
    city = f.staff("city_office")
    case = f.case_in(states.APPROVED, phone="0912 345 678")
    lifecycle.act(f.actor(city), case, "publish", Given())
    assert any("Danh gia" in sent["Body"] for sent in fake_twilio.sent)
    return case


def rating_of(case):
    return db.session.scalars(select(Rating).where(Rating.case_id == case.id)).first()


def test_a_reply_of_5_records_satisfaction(client, answered):
    reply = reply_of(webhooks.post(client, "/hotline/sms", sms_params("5", from_=PHONE)))
    assert "5/5" in reply and "xem xet lai" not in reply
    rating = rating_of(answered)
    assert (rating.score, rating.channel) == (5, "sms")
    assert db.session.scalars(select(InboundMessage.outcome)).one() == "rating"


def test_a_low_score_goes_to_the_city_office(client, answered):
    reply = reply_of(webhooks.post(client, "/hotline/sms", sms_params("1", from_=PHONE)))
    assert "xem xet lai" in reply
    city = f.staff("city_office")
    f.sign_in_as(client, city)
    page = client.get("/staff/?tab=review").get_data(as_text=True)
    assert "Người phản ánh chưa hài lòng" in page and answered.code[:3] in page


def test_a_second_score_is_not_a_rating(client, answered):
    webhooks.post(client, "/hotline/sms", sms_params("4", from_=PHONE))
    reply = reply_of(webhooks.post(client, "/hotline/sms", sms_params("1", from_=PHONE)))
    assert "Cam on" not in reply and rating_of(answered).score == 4


def test_a_digit_from_another_number_is_just_help(client, answered):
    reply = reply_of(webhooks.post(client, "/hotline/sms", sms_params("5", from_="+84987654321")))
    assert "Cam on" not in reply and rating_of(answered) is None


def test_the_tracking_page_takes_a_score_once(client, answered):
    page = client.get(f"/track/{answered.code}").get_data(as_text=True)
    assert 'name="score"' in page
    response = client.post(f"/track/{answered.code}/rating", data={"score": "2"})
    assert response.status_code == 302
    assert rating_of(answered).score == 2
    again = client.post(f"/track/{answered.code}/rating", data={"score": "5"})
    assert again.status_code == 409 and "đã được đánh giá" in again.get_data(as_text=True)
    assert 'name="score"' not in client.get(f"/track/{answered.code}").get_data(as_text=True)


def test_a_nonsense_score_is_refused(client, answered):
    response = client.post(f"/track/{answered.code}/rating", data={"score": "9"})
    assert response.status_code == 422 and rating_of(answered) is None


def test_an_unanswered_case_cannot_be_rated(client, app):
    case = f.ordinary_case()
    assert 'name="score"' not in client.get(f"/track/{case.code}").get_data(as_text=True)
    assert client.post(f"/track/{case.code}/rating", data={"score": "5"}).status_code == 409


def test_reopening_after_a_low_score_clears_the_queue(client, answered):
    client.post(f"/track/{answered.code}/rating", data={"score": "1"})
    city = f.staff("city_office")
    lifecycle.act(f.actor(city), answered, "reopen", Given(reason="Người dân chưa nhận được giấy"))
    assert rating_of(answered).followed_up_at is not None
    assert answered.state == states.IN_PROGRESS


def test_keeping_the_answer_clears_the_queue_too(client, answered):
    client.post(f"/track/{answered.code}/rating", data={"score": "2"})
    city = f.staff("city_office")
    f.sign_in_as(client, city)
    rating = rating_of(answered)
    response = client.post(f"/staff/ratings/{rating.id}/keep", data={"next": "/staff/"})
    assert response.status_code == 302
    assert f.refresh(answered) and rating_of(answered).followed_up_at is not None


def test_the_window_closes(app, answered):
    from feedback.services.workflow import satisfaction

    assert satisfaction.can_rate(answered)
    assert not satisfaction.can_rate(answered, utcnow() + timedelta(days=app.config["RATING_DAYS"] + 1))
