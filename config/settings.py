"""Settings read from the environment when the app is created, never at import.

Secrets (SECRET_KEY, Twilio credentials) come from the environment. For `make run`
on one machine without a SECRET_KEY, `flask setup` writes a random one to
instance/secret_key (readable by its owner only), so that every server process
signs sessions with the same key. With PRODUCTION=1 there is no such fallback:
the service refuses to start without SECRET_KEY, since app servers on several
hosts must share it and instance/ is per host.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ORG_FILE = ROOT / "config" / "org" / "vung-tau-2021.yaml"
SECRET_KEY_FILE = "secret_key"


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


# At least this long in production: a key shorter than 32 characters is a password.
MIN_SECRET_KEY = 32


class ConfigurationError(RuntimeError):
    """The environment cannot run the service as asked (raised before it starts)."""


def production() -> bool:
    """PRODUCTION=1 is the one switch: it refuses the development fallbacks."""
    return os.environ.get("PRODUCTION", "").strip().lower() in ("1", "true", "yes", "on")


def _secret_key(instance: Path) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        if production() and len(key) < MIN_SECRET_KEY:
            raise ConfigurationError(f"SECRET_KEY must be at least {MIN_SECRET_KEY} characters")
        return key
    if production():
        # Every app server must sign with the same key, and instance/ is per host.
        raise ConfigurationError("PRODUCTION=1: set SECRET_KEY (e.g. python3 -c "
                                 "'import secrets; print(secrets.token_hex(32))')")
    stored = instance / SECRET_KEY_FILE
    if stored.is_file():
        return stored.read_text().strip()
    return secrets.token_hex(32)


def write_secret_key(instance_path: str) -> bool:
    """Create instance/secret_key once; True if it was created."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.exists() or os.environ.get("SECRET_KEY"):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return True


def from_environment(instance_path: str) -> dict:
    """Return the Flask config mapping for this process."""
    instance = Path(instance_path)
    database_url = os.environ.get(
        "DATABASE_URL", f"sqlite:///{instance / 'feedback.db'}"
    )
    redis_url = os.environ.get("REDIS_URL", "")
    https = os.environ.get("PUBLIC_BASE_URL", "").startswith("https://")
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "TWILIO_ACCOUNT_SID": os.environ.get("TWILIO_ACCOUNT_SID", ""),
        "TWILIO_AUTH_TOKEN": os.environ.get("TWILIO_AUTH_TOKEN", ""),
        "TWILIO_API_BASE": os.environ.get("TWILIO_API_BASE", ""),
        "TWILIO_TIMEOUT": float(os.environ.get("TWILIO_TIMEOUT", "10")),
        "REDIS_URL": redis_url,
        "SMS_GATEWAY_SECRET": os.environ.get("SMS_GATEWAY_SECRET", ""),
        # smtp://user:pass@host:587 (STARTTLS) or smtps://…; unset: e-mails are only logged.
        "SMTP_URL": os.environ.get("SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "UBND TP Vung Tau <no-reply@localhost>"),
        "SMTP_TIMEOUT": float(os.environ.get("SMTP_TIMEOUT", "10")),
        # Deadline reminders go out this many working days before a deadline.
        "REMIND_WORKING_DAYS": _int("REMIND_WORKING_DAYS", 2),
        # A reporter may rate the answer this many days after it was sent.
        "RATING_DAYS": _int("RATING_DAYS", 7),
        # twilio | log; by default twilio when TWILIO_ACCOUNT_SID is set, else log.
        "SMS_SENDER": os.environ.get("SMS_SENDER", ""),
        # Past this many SMS an hour, a number's messages are kept but not acted on.
        "SMS_FLOOD_LIMIT": _int("SMS_FLOOD_LIMIT", 20),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour"),
        # This many wrong passwords in a row lock the account for so many minutes.
        "LOGIN_LOCKOUT_FAILURES": _int("LOGIN_LOCKOUT_FAILURES", 5),
        "LOGIN_LOCKOUT_MINUTES": _int("LOGIN_LOCKOUT_MINUTES", 15),
        "FEEDBACK_ORG": os.environ.get("FEEDBACK_ORG", str(DEFAULT_ORG_FILE)),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance / "uploads")),
        # One file at most this size; the request as a whole is capped below.
        "MAX_ATTACHMENT_BYTES": _int("MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024),
        "MAX_ATTACHMENTS": _int("MAX_ATTACHMENTS", 5),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 26 * 1024 * 1024),
        "SUBMIT_RATE_LIMIT": os.environ.get("SUBMIT_RATE_LIMIT", "5 per minute; 40 per day"),
        # Tracking pages per address: enough for a person, too few to guess codes.
        "TRACK_RATE_LIMIT": os.environ.get("TRACK_RATE_LIMIT", "30 per minute; 300 per day"),
        # Open311: reads per address; requests filed per API key.
        "OPEN311_RATE_LIMIT": os.environ.get("OPEN311_RATE_LIMIT", "120 per minute"),
        "OPEN311_KEY_RATE_LIMIT": os.environ.get("OPEN311_KEY_RATE_LIMIT", "30 per minute; 2000 per day"),
        "OPEN311_CONTACT": os.environ.get(
            "OPEN311_CONTACT", "Văn phòng HĐND và UBND thành phố Vũng Tàu"),
        # Counters every worker shares: Redis, else the database (feedback/ratelimit.py).
        "RATELIMIT_STORAGE_URI": redis_url or "database://",
        # Reverse proxies in front of the app whose X-Forwarded-For is trusted
        # (0: none; the connecting address is the client's).
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        # SQLite: how long a writer waits for another's transaction to end.
        "SQLITE_BUSY_TIMEOUT": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "30")),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LANGUAGES": ("vi", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        # plain | json: the app's log lines, each with its request id (feedback/request_log.py).
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "plain").strip().lower(),
        "PRODUCTION": production(),
        "WTF_CSRF_TIME_LIMIT": None,
    }
