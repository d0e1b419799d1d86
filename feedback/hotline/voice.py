"""POST /hotline/voice: the Vietnamese voice menu (built in its own change)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("hotline_voice", __name__, url_prefix="/hotline/voice")
