"""A small city with a bit of everything, for the backup and export tests:
demo cases (events, answers, ratings, public records), a web case with two
files, an SMS case (inbound and outbound messages), a call, staff and their
audit rows. And a picture of it, to compare before and after."""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from config.settings import DEFAULT_ORG_FILE
from feedback import create_app
from feedback.extensions import db
from feedback.models import Attachment, Case
from feedback.services import demo, orgdata
from feedback.services.intake.attachments import Upload
from tests import factories as f
from tests.factories import make_case
from tests.testapp import FreshContextClient, app_config
from tests.fakes import webhooks

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj << >> endobj\n" * 20
# Tables the city must not lose a row of (and the others are compared too).
MUST_KEEP = ("cases", "case_events", "inbound_messages", "outbound_messages", "calls", "answers",
             "ratings", "audit_log", "attachments", "public_records", "reporters", "users")


def build(client) -> None:
    """Fill the current app's database and UPLOAD_DIR."""
    demo.generate(40, seed=7)
    make_case(uploads=[Upload("ảnh hồ sơ.png", PNG), Upload("đơn.pdf", PDF)],
              email="an@example.vn")
    webhooks.post(client, "/hotline/sms", webhooks.sms_params("Den duong phuong 7 bi hong"))
    webhooks.post(client, "/hotline/voice", webhooks.call_params())
    city = f.staff("city_office")
    case = f.ordinary_case()
    f.lifecycle.act(f.actor(city), f.refresh(case), "reject",
                    f.lifecycle.Given(reason="Nội dung không rõ ràng."))
    db.session.remove()


def counts() -> dict[str, int]:
    """Rows per table, every model table."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def sample(every: int = 7) -> dict[str, list[tuple]]:
    """Every `every`-th row of each table, by primary key, as plain tuples."""
    found = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        found[table.name] = [tuple(row) for row in rows[::every]] + [tuple(row) for row in rows[-1:]]
    return found


def files() -> dict[str, str]:
    """Each attachment's stored name and the SHA-256 of the file found under UPLOAD_DIR."""
    root = Path(current_app.config["UPLOAD_DIR"])
    return {a.stored_name: _digest(root / a.stored_name) for a in db.session.scalars(select(Attachment))}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def codes() -> set[str]:
    return set(db.session.scalars(select(Case.code)))


@contextmanager
def sqlite_app(folder: Path, twilio_base_url: str):
    """A second installation on a SQLite file of its own (schema and organisation
    data, as setup makes them), its context pushed over the test's."""
    folder.mkdir(parents=True, exist_ok=True)
    app = create_app(app_config(f"sqlite:///{folder / 'city.db'}", str(folder / "uploads"),
                                twilio_base_url))
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
        orgdata.load(DEFAULT_ORG_FILE)
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
