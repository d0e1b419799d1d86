"""API keys: made by the CLI and shown once, stored hashed, listed, revoked,
and each limited on its own."""
from sqlalchemy import select, text

from feedback import create_app
from feedback.models import ApiClient, Case
from tests.testapp import app_config
from tests.open311.conftest import filed


def test_a_key_is_shown_once_stored_hashed_listed_and_revoked(runner, client, db):
    made = runner.invoke(args=["open311", "keys", "create", "Ứng dụng Vũng Tàu Smart"])
    assert made.exit_code == 0, made.output
    key = made.output.strip().splitlines()[-1]
    assert len(key) >= 40
    stored = db.session.execute(text("SELECT * FROM api_clients")).all()
    assert key not in repr(stored)

    assert filed(client, key).status_code == 200
    listed = runner.invoke(args=["open311", "keys", "list"]).output
    assert "Ứng dụng Vũng Tàu Smart\tactive" in listed and "last used never" not in listed
    assert key not in listed

    assert runner.invoke(args=["open311", "keys", "revoke", "Ứng dụng Vũng Tàu Smart"]).exit_code == 0
    refused = filed(client, key)
    assert refused.status_code == 403 and refused.json[0]["description"].startswith("api_key")
    assert "revoked" in runner.invoke(args=["open311", "keys", "list"]).output
    assert len(db.session.scalars(select(Case)).all()) == 1


def test_names_are_unique_and_unknown_names_cannot_be_revoked(runner, db):
    assert runner.invoke(args=["open311", "keys", "create", "Cổng tỉnh"]).exit_code == 0
    again = runner.invoke(args=["open311", "keys", "create", "Cổng tỉnh"])
    assert again.exit_code != 0 and "exists already" in again.output
    unknown = runner.invoke(args=["open311", "keys", "revoke", "Không có"])
    assert unknown.exit_code != 0 and "no client" in unknown.output
    assert len(db.session.scalars(select(ApiClient)).all()) == 1


def test_each_key_has_its_own_limit(db_url, tmp_path, app, api_key, runner):
    other = runner.invoke(args=["open311", "keys", "create", "Ứng dụng khác"]).output.strip().splitlines()[-1]
    limited = create_app({**app_config(db_url, str(tmp_path)), "RATELIMIT_ENABLED": True,
                          "OPEN311_KEY_RATE_LIMIT": "2 per minute"}).test_client()
    answers = [filed(limited, api_key) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[-1].json[0]["code"] == 429
    assert filed(limited, other).status_code == 200
    assert filed(limited, api_key, fmt="xml").status_code == 429
