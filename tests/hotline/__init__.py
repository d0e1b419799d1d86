"""Helpers of the hotline tests: an SMS webhook sent as Twilio signs it, and its TwiML reply read."""
import xml.etree.ElementTree as ET

from sqlalchemy import func, select

from feedback.domain import sms
from tests.fakes import webhooks
from tests.fakes.webhooks import sms_params

PATH = "/hotline/sms"


def reply_of(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) == 1
    return messages[0].text


def send(client, body, **extra):
    return webhooks.post(client, PATH, sms_params(body, **extra))


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def assert_one_gsm_segment(text):
    assert sms.is_gsm7(text), text
    assert sms.septets(text) <= 160, text
