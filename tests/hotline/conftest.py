"""Fixtures of the hotline tests: a caller and the service's clock."""
from datetime import datetime

import pytest

from feedback.services.hotline import calls
from tests.hotline.voice import Caller


@pytest.fixture
def caller(client):
    return Caller(client)


@pytest.fixture
def at(monkeypatch):
    """Set the service's clock."""
    def set_time(moment: datetime) -> None:
        monkeypatch.setattr(calls, "utcnow", lambda: moment)
    return set_time
