"""The reviewers' workplace beside the review queue: a low satisfaction score
looked at and the answer kept (reopening is an action on the case page)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import permissions as perms
from ..domain import trackcode
from ..extensions import db
from ..models import Rating
from ..security import local_path
from ..services.workflow import access, satisfaction
from .guard import actor, requires

bp = Blueprint("review", __name__, url_prefix="/staff/ratings")


@bp.post("/<int:rating_id>/keep")
@requires(None)
def keep_rating(rating_id: int):
    """Checked against the rated case: whoever may reopen it may keep it closed."""
    rating = db.session.get(Rating, rating_id) if rating_id < 2**63 else None
    if rating is None or not access.can(current_user, perms.VIEW, rating.case):
        abort(404)
    if not access.can(current_user, perms.REOPEN, rating.case):
        abort(403)
    satisfaction.keep_closed(actor(), rating)
    flash(_("Đã ghi nhận: giữ nguyên kết quả trả lời phản ánh %(code)s.",
            code=trackcode.display(rating.case.code)))
    return redirect(local_path(request.form.get("next")) or url_for("inbox.home"))
