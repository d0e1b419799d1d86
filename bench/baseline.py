"""The bare stack each scenario is measured against: Flask, on the same
gunicorn and database, doing the least the job needs.

  POST /sms          check the Twilio signature, insert one row, answer TwiML
  GET|POST /form     a form with a CSRF token (Flask-WTF); the POST checks it,
                     inserts one row and redirects
  GET /page          one indexed query (the 20 newest public records) and one
                     template

Served as `gunicorn bench.baseline:app` with BENCH_DATABASE_URL,
PUBLIC_BASE_URL and TWILIO_AUTH_TOKEN in the environment.
"""
from __future__ import annotations

import os

from flask import Flask, Response, abort, redirect, render_template_string, request
from flask_wtf import CSRFProtect
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

FORM = """<!doctype html><title>Gửi phản ánh</title><form method="post">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<textarea name="description"></textarea><input name="phone"><button>Gửi</button></form>"""
PAGE = """<!doctype html><title>Kết quả</title><ol>{% for row in rows %}
<li><a href="/results/{{ row.code }}">{{ row.code }}</a> {{ row.summary }} {{ row.published_at }}</li>
{% endfor %}</ol>"""
NEWEST = text("SELECT code, summary, published_at FROM public_records "
              "ORDER BY published_at DESC, id DESC LIMIT 20")


def _engine():
    url = os.environ["BENCH_DATABASE_URL"]
    engine = create_engine(url, pool_size=8)
    if url.startswith("sqlite"):
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _wal(connection, _record):
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA busy_timeout = 30000")
    return engine


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="bench", WTF_CSRF_TIME_LIMIT=None)
    CSRFProtect(app)
    engine = _engine()
    validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
    base = os.environ["PUBLIC_BASE_URL"].rstrip("/")
    identity = "INTEGER PRIMARY KEY" if engine.dialect.name == "sqlite" else "SERIAL PRIMARY KEY"
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE IF NOT EXISTS bench_baseline (id {identity}, "
                                "sender VARCHAR(40), body TEXT)"))

    def insert(sender: str, body: str) -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO bench_baseline (sender, body) VALUES (:s, :b)"),
                               {"s": sender, "b": body})

    @app.post("/sms")
    def sms():
        signature = request.headers.get("X-Twilio-Signature", "")
        if not validator.validate(base + request.full_path.rstrip("?"), request.form.to_dict(),
                                  signature):
            abort(403)
        insert(request.form["From"], request.form["Body"])
        reply = MessagingResponse()
        reply.message("Da nhan tin nhan cua ban.")
        return Response(str(reply), content_type="text/xml")

    @app.route("/form", methods=["GET", "POST"])
    def form():
        if request.method == "POST":
            insert(request.form.get("phone", ""), request.form.get("description", ""))
            return redirect("/form")
        return render_template_string(FORM)

    @app.get("/page")
    def page():
        with engine.connect() as connection:
            rows = connection.execute(NEWEST).all()
        return render_template_string(PAGE, rows=rows)

    app.extensions["csrf"].exempt(sms)
    return app


app = create_app()
