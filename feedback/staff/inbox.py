"""Each role's home at /staff/: its lists of cases by deadline, with filters,
search and keyset pages, the low satisfaction scores to look at, and the CSV
export of a list."""
from __future__ import annotations

from dataclasses import fields

from flask import (
    Blueprint, Response, abort, redirect, render_template, request, stream_with_context, url_for,
)
from flask_login import current_user
from ..domain import permissions as perms
from ..domain import states
from ..forms import org_choices
from ..i18n import STATE_LABELS
from ..services.workflow import access, inbox, satisfaction
from .guard import actor, requires

bp = Blueprint("inbox", __name__, url_prefix="/staff")


def _filters() -> inbox.Filters:
    return inbox.Filters(**{f.name: request.args.get(f.name, "")[:40]
                            for f in fields(inbox.Filters)})


def _tab(tabs: list[inbox.Tab]) -> inbox.Tab:
    wanted = request.args.get("tab")
    return next((t for t in tabs if t.name == wanted), tabs[0])


def _choices(tab: inbox.Tab) -> dict[str, list[tuple[str, str]]]:
    return {"state": [(s, STATE_LABELS[s]) for s in states.ALL_STATES if s in tab.states],
            **org_choices()}


@bp.get("/")
@requires()
def home():
    tabs = inbox.tabs_for(current_user)
    if access.can_global(current_user, perms.CONSOLE) and "tab" not in request.args:
        return redirect(url_for("operator.console"))
    if not tabs:
        if access.can_global(current_user, perms.USERS):
            return redirect(url_for("admin.users"))
        abort(403)
    tab, filters = _tab(tabs), _filters()
    page = inbox.page(current_user, tab, filters, request.args.get("after"))
    low = satisfaction.low_ratings(access.scope(current_user, perms.REOPEN))
    by_unit = inbox.counts_by_unit(current_user) if tab.name == "all" else []
    return render_template(
        "staff/inbox.html", tabs=tabs, tab=tab, page=page, filters=filters,
        choices=_choices(tab), low_ratings=low, by_unit=by_unit,
        can_export=access.can_global(current_user, perms.EXPORT),
        show_unit=perms.allows(current_user.role, perms.VIEW, perms.Relation.OTHER)
        or perms.allows_global(current_user.role, perms.SEALED_TRACK),
    )


@bp.get("/export.csv")
@requires(perms.EXPORT)
def export():
    tabs = inbox.tabs_for(current_user)
    if not tabs:
        abort(403)
    rows = inbox.export_csv(actor(), _tab(tabs), _filters())
    response = Response(stream_with_context(rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="phan-anh.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
