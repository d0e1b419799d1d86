"""Citizen feedback and hotline intake service: the application factory."""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from config import settings

from .extensions import babel, csrf, db, limiter, login, migrate, tune_sqlite


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__, template_folder="../templates", static_folder="../static",
        instance_path=str(settings.ROOT / "instance"),
    )
    app.url_map.converters["int"] = RowId
    app.config.from_mapping(settings.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


class RowId(IntegerConverter):
    """<int:…> in a URL names a row, and ids are 32-bit on PostgreSQL: a larger
    number matches no route (404) instead of overflowing the query (500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_extensions(app: Flask) -> None:
    from . import ratelimit  # registers the `database://` rate-limit storage
    from . import request_log
    from .i18n import register_template_helpers, select_locale
    from .security import render_translations_unmarked

    app.logger.setLevel(app.config["LOG_LEVEL"])  # INFO: the log senders' lines show
    request_log.init_app(app)  # a request id on every line; JSON when LOG_FORMAT=json
    ratelimit.trust_proxies(app)
    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT"])
    migrate.init_app(app, db, directory=str(settings.ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login.init_app(app)
    register_template_helpers(app)
    render_translations_unmarked(app)


def register_blueprints(app: Flask) -> None:
    from .hotline import gateway, sms, voice
    from .open311 import views as open311
    from .staff import admin, auth, case, dialogues as staff_dialogues, inbox, operator, review
    from .staff import supervision
    from .staff.nav import staff_nav
    from .web import bp as web_bp
    from .web import catalogue, dialogues, results, stats
    from .web.errors import register_error_pages
    from .request_guard import register_input_guard
    from .security import register_security_headers
    from .static_files import version_static_urls

    app.register_blueprint(web_bp)
    for public_pages in (results.bp, stats.bp, stats.units_bp, catalogue.bp, dialogues.bp):
        app.register_blueprint(public_pages)
    for machines in (sms.bp, voice.bp, gateway.bp, open311.bp):
        csrf.exempt(machines)  # authenticated by a signature or an API key instead
        app.register_blueprint(machines)
    for staff_pages in (auth.bp, inbox.bp, case.bp, review.bp, operator.bp, supervision.bp,
                        staff_dialogues.bp, admin.bp):
        app.register_blueprint(staff_pages)
    app.jinja_env.globals["staff_nav"] = staff_nav
    register_error_pages(app)
    register_input_guard(app)
    register_security_headers(app)
    version_static_urls(app)


def register_commands(app: Flask) -> None:
    from .backup.cli import register as register_backup
    from .cli import register
    from .open311.cli import open311_group

    register(app)
    app.cli.add_command(open311_group)
    register_backup(app)
