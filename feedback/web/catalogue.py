"""/procedures: the administrative procedures by field and unit, from the
organisation file, searchable like the results (accents optional, đ folded,
words in any order), each with a link that opens the form pre-filled."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..forms import org_choices
from ..models import Category, Procedure
from ..services.public.search import words

bp = Blueprint("catalogue", __name__)


@dataclass
class Field:
    category: Category
    procedures: list[Procedure]


def _matches(query: list[str], *texts: str) -> bool:
    found = set(words(" ".join(texts)))
    return all(any(word.startswith(q) for word in found) for q in query)


def catalogue(q: str, unit: str, category: str) -> list[Field]:
    """Active procedures by field; a field whose name matches keeps all of them."""
    fields_ = db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.sort)
        .options(joinedload(Category.default_unit), joinedload(Category.procedures))).unique()
    query, found = words(q), []
    for field in fields_:
        if (unit and field.default_unit.code != unit) or (category and field.code != category):
            continue
        active = [p for p in field.procedures if p.active]
        if query and not _matches(query, field.name_vi, field.name_en):
            active = [p for p in active if _matches(query, p.name_vi, p.name_en)]
            if not active:
                continue
        found.append(Field(field, active))
    return found


@bp.get("/procedures")
def procedures():
    args = request.args
    q, unit, category = (args.get(name, "")[:200] for name in ("q", "unit", "category"))
    found = catalogue(q, unit[:40], category[:40])
    return render_template("web/procedures.html", fields=found, q=q, unit=unit, category=category,
                           choices=org_choices(),
                           count=sum(len(field.procedures) for field in found))
