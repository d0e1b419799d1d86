"""Helpers of the voice tests: one phone call replayed as Twilio calls it, and what it hears."""
import json
import xml.etree.ElementTree as ET
from datetime import datetime

from sqlalchemy import select

from feedback.domain import trackcode
from feedback.domain.calendar import LOCAL_TZ
from feedback.extensions import db as _db
from feedback.models import Call, OrgSetting
from tests.fakes import webhooks

BASE = webhooks.PUBLIC_BASE_URL + "/hotline/voice"
CALLER = "+84912345678"
DESK = "+842543852222"
OPEN = datetime(2024, 3, 12, 10, 0, tzinfo=LOCAL_TZ)      # a Tuesday morning
EVENING = datetime(2024, 3, 12, 18, 30, tzinfo=LOCAL_TZ)


class Caller:
    """One phone call: the same CallSid and numbers on every webhook."""

    def __init__(self, client, **numbers):
        self.client = client
        self.params = webhooks.call_params(**numbers)

    def post(self, path: str = "", **extra):
        return webhooks.post(self.client, "/hotline/voice" + path, {**self.params, **extra})

    def twiml(self, path: str = "", **extra) -> ET.Element:
        response = self.post(path, **extra)
        assert response.status_code == 200, response.data
        assert response.mimetype == "text/xml"
        return ET.fromstring(response.data)

    def recording(self, path: str, sid: str | None = None, seconds: str = "42", **extra):
        sid = sid or webhooks.sid("RE")
        return self.twiml(path, RecordingSid=sid, RecordingDuration=seconds,
                          RecordingUrl=f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/{sid}",
                          CallStatus="in-progress", **extra)

    def status(self, status: str = "completed", duration: str = "35"):
        response = self.post("/status", CallStatus=status, CallDuration=duration)
        assert response.status_code == 204
        return response

    @property
    def call(self) -> Call:
        _db.session.expire_all()
        return _db.session.scalars(select(Call).filter_by(call_sid=self.params["CallSid"])).one()


def spoken(root: ET.Element) -> str:
    return " ".join(say.text or "" for say in root.iter("Say"))


def spoken_code(code: str) -> str:
    """Digit by digit, with a longer pause between the groups printed on paper."""
    return ". ".join(", ".join(group) for group in trackcode.groups(code))


def configure_voice(db, **values) -> None:
    row = db.session.get(OrgSetting, "voice")
    row.value = json.dumps({**json.loads(row.value), **values})
    db.session.commit()
