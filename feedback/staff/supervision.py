"""The Home Affairs office's supervision: the audit log at /staff/audit.
(The sealed track is the supervisor's home list, in the inbox.)"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request

from ..domain import permissions as perms
from ..domain.trackcode import normalise
from ..services.workflow import audit
from .guard import requires

bp = Blueprint("supervision", __name__, url_prefix="/staff")


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/audit")
@requires(perms.AUDIT)
def audit_log():
    day_from, day_to = _day("from"), _day("to")
    typed_code = request.args.get("case", "").strip()
    f = audit.AuditFilter(
        action=request.args.get("action", "")[:40], actor=request.args.get("actor", "")[:80].strip(),
        case_code=normalise(typed_code) or ("-" if typed_code else ""),
        day_from=audit.local_midnight(day_from) if day_from else None,
        day_to=audit.local_midnight(day_to) if day_to else None,
    )
    before = request.args.get("before", type=int)
    entries, next_before = audit.entries(f, before if before and 0 < before < 2**31 else None)
    args = {key: value for key, value in request.args.items() if key != "before"}
    return render_template("staff/audit.html", entries=entries, next_before=next_before,
                           actions=audit.actions(), args=args, paged=before is not None)
