"""Reading cases, shared by every channel that finds one by its tracking code."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Case


def by_code(code: str | None) -> Case | None:
    """The case with this canonical code (see trackcode.normalise), if any."""
    if not code:
        return None
    return db.session.scalars(select(Case).filter_by(code=code)).first()
