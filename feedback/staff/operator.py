"""The operator console at /staff/operator (built in its own change)."""
from __future__ import annotations

from flask import Blueprint, render_template

from .auth import role_required

bp = Blueprint("operator", __name__, url_prefix="/staff/operator")


@bp.get("")
@role_required("operator")
def console():
    return render_template("staff/operator/console.html")
