"""/stats: the units' scorecards over a period, as charts and the table they
draw, with the table as CSV. /units/<code>: one unit's page."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..i18n import CHANNEL_LABELS, localized
from ..models import Category, Unit
from ..services.public import results, stats
from ..services.public.results import ResultFilters

bp = Blueprint("stats", __name__)
units_bp = Blueprint("units", __name__, url_prefix="/units")


def _period() -> stats.Period:
    args = request.args
    return stats.period(args.get("period"), args.get("since"), args.get("until"))


def _period_choices() -> list[tuple[str, str]]:
    """The last years, this year's quarters and the last twelve months."""
    today = date.today()
    years = [str(y) for y in range(today.year, today.year - 3, -1)]
    quarters = [f"{today.year}-Q{q}" for q in range((today.month - 1) // 3 + 1, 0, -1)]
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [(key, stats.period(key).label) for key in years + quarters + months]


@dataclass
class Section:
    """A table of figures and the chart drawn from it."""

    rows: list[tuple[str, stats.Figures]]
    chart: list[tuple[str, float | None, str]]
    top: float


def _percent(figures: stats.Figures) -> str:
    rate = figures.on_time_rate
    return "–" if rate is None else f"{100 * rate:.0f}% ({figures.answered})"


def _rates(rows: list[tuple[Unit, stats.Figures]]) -> Section:
    named = [(localized(unit), figures) for unit, figures in rows]
    return Section(named, [(label, f.on_time_rate, _percent(f)) for label, f in named], 1)


def _counts(named: list[tuple[str, stats.Figures]]) -> Section:
    top = max((f.received for _, f in named), default=0)
    return Section(named, [(label, f.received, str(f.received)) for label, f in named], top)


def _hotline_name(hotline) -> str:
    return f"{hotline.display} · {localized(hotline)}" if hotline else str(_l("Không qua đường dây nóng"))


@bp.get("/stats")
def scorecards():
    card = stats.scorecard(_period())
    return render_template(
        "web/stats.html", card=card, periods=_period_choices(),
        offices=_rates(card.offices), wards=_rates(card.wards),
        hotlines=_counts([(_hotline_name(h), f) for h, f in card.hotlines]),
        channels=_counts([(str(CHANNEL_LABELS.get(c, c)), f) for c, f in card.channels]))


CSV_COLUMNS = ("unit_code", "unit", "kind", "received", "answered", "on_time", "late",
               "on_time_rate", "median_working_days", "sent_back", "reopened",
               "satisfaction", "ratings")


def _csv_row(unit: Unit, figures: stats.Figures) -> list:
    rate = "" if figures.on_time_rate is None else f"{figures.on_time_rate:.3f}"
    mood = "" if figures.satisfaction is None else f"{figures.satisfaction:.2f}"
    days = "" if figures.median_days is None else figures.median_days
    return [unit.code, localized(unit), "ward" if unit.is_ward else "office", figures.received,
            figures.answered, figures.on_time, figures.late, rate, days, figures.sent_back,
            figures.reopened, mood, figures.rating_count]


@bp.get("/stats.csv")
def scorecards_csv():
    card = stats.scorecard(_period())
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for unit, figures in card.offices + card.wards:
        writer.writerow(_csv_row(unit, figures))
    response = Response(buffer.getvalue(), mimetype="text/csv")
    name = card.period.key or f"{card.period.start}_{card.period.end}"
    response.headers["Content-Disposition"] = f'attachment; filename="bang-diem-{name}.csv"'
    return response


@units_bp.get("/<code>")
def show(code: str):
    unit = db.session.scalars(select(Unit).filter_by(code=code[:40])).first()
    if unit is None or unit.is_triage:
        abort(404)
    categories = db.session.scalars(select(Category).where(
        Category.active.is_(True), Category.default_unit_id == unit.id).order_by(Category.sort)).all()
    ward_fields = [] if not unit.is_ward else db.session.scalars(select(Category).where(
        Category.active.is_(True), Category.ward_first.is_(True)).order_by(Category.sort)).all()
    period = stats.period(None)
    latest = results.page(ResultFilters(unit=unit.code), size=5)
    return render_template("web/unit.html", unit=unit, categories=categories or ward_fields,
                           figures=stats.unit_figures(period, unit), period=period, latest=latest)
