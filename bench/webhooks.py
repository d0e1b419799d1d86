"""Hotline webhook latency against a bare-stack baseline, in one run.

Twilio waits 15 seconds for an answer; the webhooks must answer in a small
fraction of that. This times, in-process with the Flask test client on a
temporary SQLite database (PostgreSQL with BENCH_DATABASE_URL):

  baseline   GET /healthz (the app stack and one SELECT)
  sms-new    a signed inbound SMS that opens a case (routing, deadlines, reply)
  sms-redo   the same SMS delivered again (idempotent replay)
  voice-in   a signed inbound call (the menu TwiML)

Run: .venv/bin/python bench/webhooks.py [N]   (make bench)
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.settings import DEFAULT_ORG_FILE  # noqa: E402
from feedback import create_app  # noqa: E402
from feedback.extensions import db  # noqa: E402
from feedback.services import orgdata  # noqa: E402
from tests.fakes import webhooks  # noqa: E402
from tests.fakes.twilio_server import ACCOUNT_SID, AUTH_TOKEN  # noqa: E402


def timed(label: str, count: int, request) -> dict:
    samples = []
    for i in range(count):
        start = time.perf_counter()
        response = request(i)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 204), (label, response.status_code)
    samples.sort()
    return {"label": label, "median": statistics.median(samples),
            "p95": samples[int(len(samples) * 0.95) - 1], "max": samples[-1]}


def main(count: int) -> None:
    workdir = tempfile.mkdtemp(prefix="bench-")
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.db"),
        "UPLOAD_DIR": workdir, "PUBLIC_BASE_URL": webhooks.PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SMS_SENDER": "log", "REDIS_URL": "", "RATELIMIT_ENABLED": False,
    })
    app.logger.disabled = True
    with app.app_context():
        db.drop_all()
        db.create_all()
        orgdata.load(DEFAULT_ORG_FILE)
    client = app.test_client()
    body = "Hồ sơ đăng ký khai sinh nộp tại phường 7 đã quá hẹn hai tuần chưa có kết quả."
    replay = webhooks.sms_params(body, from_="+84900000000")
    results = [
        timed("baseline", count, lambda i: client.get("/healthz")),
        timed("sms-new", count, lambda i: webhooks.post(
            client, "/hotline/sms", webhooks.sms_params(body, from_=f"+849{i:08d}"))),
        timed("sms-redo", count, lambda i: webhooks.post(client, "/hotline/sms", replay)),
        timed("voice-in", count, lambda i: webhooks.post(
            client, "/hotline/voice", webhooks.call_params(from_=f"+849{i:08d}"))),
    ]
    base = results[0]["median"]
    print(f"{'request':10} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'x baseline':>11}")
    for r in results:
        print(f"{r['label']:10} {r['median']:10.2f} {r['p95']:8.2f} {r['max']:8.2f} "
              f"{r['median'] / base:11.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
