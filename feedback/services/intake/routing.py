"""Where a new case goes, and why. Routing is data: units, categories, keyword rules.

Order of the rules:
1. a complaint about officials' conduct (a conduct keyword in the text, or a
   confidential category handled by the conduct unit) goes to the Home Affairs
   office, confidentially, never to the unit concerned;
2. a legal kind with a unit of its own (complaints, denunciations) goes there;
3. the chosen category goes to its unit, or to the ward's People's Committee
   when the category is decided at ward level and the ward is known;
4. with no category, a keyword rule picks one;
5. otherwise the city office's triage queue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...domain import states
from ...domain.text import fold
from ...extensions import db
from ...models import Category, KeywordRule, LegalKind, Unit


@dataclass(frozen=True)
class Decision:
    unit: Unit
    state: str
    reason: str                  # conduct | kind | ward | category | keyword | triage
    confidential: bool
    category: Category | None
    keyword: str | None = None


def _matching_rule(text: str) -> tuple[KeywordRule | None, KeywordRule | None]:
    """The best conduct rule and the best ordinary rule found in `text`."""
    folded = fold(text)
    rules = db.session.scalars(
        select(KeywordRule).order_by(KeywordRule.priority.desc(), KeywordRule.keyword)
    ).all()
    conduct = ordinary = None
    for rule in rules:
        if re.search(rf"(?<!\w){re.escape(rule.keyword)}(?!\w)", folded):
            if rule.conduct and conduct is None:
                conduct = rule
            elif not rule.conduct and ordinary is None:
                ordinary = rule
    return conduct, ordinary


def _role_unit(flag) -> Unit:
    return db.session.scalars(select(Unit).where(flag.is_(True))).one()


def _by_category(category: Category, ward: Unit | None, today: date) -> tuple[Unit, str]:
    if category.ward_first and ward is not None and ward.active_on(today):
        return ward, "ward"
    return category.default_unit, "category"


def decide(
    kind: LegalKind, category: Category | None, ward: Unit | None, text: str, today: date
) -> Decision:
    conduct_rule, rule = _matching_rule(text)
    conduct_unit = _role_unit(Unit.handles_conduct)
    if conduct_rule or (category and category.confidential
                        and category.default_unit_id == conduct_unit.id):
        return Decision(
            conduct_unit, states.ASSIGNED, "conduct", True,
            category or conduct_rule.category,
            conduct_rule.keyword if conduct_rule else None,
        )
    confidential = kind.confidential or bool(category and category.confidential)
    if kind.default_unit is not None and kind.default_unit.active_on(today):
        return Decision(kind.default_unit, states.ASSIGNED, "kind", confidential, category)
    keyword = None
    reason_override = None
    if category is None and rule is not None:
        category, keyword, reason_override = rule.category, rule.keyword, "keyword"
        confidential = confidential or category.confidential
    if category is not None:
        unit, reason = _by_category(category, ward, today)
        if unit.active_on(today):
            return Decision(unit, states.ASSIGNED, reason_override or reason,
                            confidential, category, keyword)
    return Decision(_role_unit(Unit.is_triage), states.TRIAGE, "triage", confidential, category)
