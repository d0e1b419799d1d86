"""Loading the organisation data file into the database, idempotently.

Rows are matched by code: run it twice and nothing is duplicated; a changed name
or rule is updated; cases are never touched. Categories and procedures missing
from the file are deactivated (cases keep pointing at them); units are retired
only by an explicit `retired_on` date, so their history stays readable.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any, Iterable

import yaml
from sqlalchemy import select

from ...domain.text import clean_line, fold
from ...extensions import db
from ...models import (
    CalendarDay, Category, Hotline, HotlineNumber, KeywordRule, LegalKind, OrgSetting,
    Procedure, Unit,
)
from ...models.org import WARD_KINDS
from .cache import ensure_stamp


# The setting routing reads besides the tables (services/intake/routing.py): the
# catch-all category, the leading words of procedure names, the other names of
# the wards. Whatever changes, the cache's stamp changes with it (cache.py).
ROUTING_KEY = "routing"


class OrgDataError(ValueError):
    """The data file is inconsistent; nothing was written."""


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _slug(text: str, limit: int = 60) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in fold(text)).split()
    return "-".join(words)[:limit].rstrip("-")


class _Loader:
    def __init__(self, data: dict):
        self.data = data
        self.stats: Counter[str] = Counter()

    def upsert(self, model, rows: Iterable[dict], key: str = "code") -> dict[str, Any]:
        """Create or update `model` rows matched on `key`; return them all by key."""
        existing = {getattr(obj, key): obj for obj in db.session.scalars(select(model))}
        for values in rows:
            obj = existing.get(values[key])
            if obj is None:
                obj = existing[values[key]] = model(**values)
                db.session.add(obj)
                self.stats[f"{model.__tablename__} created"] += 1
                continue
            changed = False
            for name, value in values.items():
                if getattr(obj, name) != value:
                    setattr(obj, name, value)
                    changed = True
            self.stats[f"{model.__tablename__} {'updated' if changed else 'unchanged'}"] += 1
        db.session.flush()
        return existing

    def units(self) -> dict[str, Unit]:
        service = self.data.get("service") or {}
        rows = [
            {
                "code": u["code"], "kind": u["kind"],
                "name_vi": clean_line(u["vi"]), "name_en": clean_line(u["en"]),
                "short_vi": u.get("short_vi"), "gso_code": u.get("gso_code"),
                "is_triage": u["code"] == service.get("triage_unit"),
                "handles_conduct": u["code"] == service.get("conduct_unit"),
                "sort": index,
                "valid_from": _date(u.get("valid_from")),
                "retired_on": _date(u.get("retired_on")),
                "successor_code": u.get("successor") or u.get("successor_2025"),
            }
            for index, u in enumerate(self.data["units"])
        ]
        units = self.upsert(Unit, rows)
        for role in ("triage_unit", "conduct_unit"):
            if service.get(role) not in units:
                raise OrgDataError(f"service.{role} names an unknown unit: {service.get(role)!r}")
        return units

    def hotlines(self) -> None:
        entries = self.data.get("hotlines") or []
        hotlines = self.upsert(Hotline, [
            {"code": h["code"], "audience": h["audience"], "name_vi": h["vi"],
             "name_en": h["en"], "display": h["display"], "e164": h["e164"], "sort": i}
            for i, h in enumerate(entries)
        ])
        rows = []
        for h in entries:
            hotline_id = hotlines[h["code"]].id
            rows.append({"e164": h["e164"], "hotline_id": hotline_id, "sends": False})
            rows += [{"e164": n["e164"], "hotline_id": hotline_id, "sends": bool(n.get("sends"))}
                     for n in h.get("numbers") or []]
        numbers = self.upsert(HotlineNumber, rows, key="e164")
        self._delete_missing(numbers, {row["e164"] for row in rows})

    def legal_kinds(self, units: dict[str, Unit]) -> None:
        rows = []
        for index, kind in enumerate(self.data["legal_types"]):
            clock = kind.get("clock")
            if not clock or "resolve" not in clock:
                raise OrgDataError(f"legal type {kind['code']!r} has no clock.resolve")
            rows.append({
                "code": kind["code"], "name_vi": kind["vi"], "name_en": kind["en"],
                "basis": kind.get("basis"),
                "default_unit_id": self._unit_id(units, kind.get("default_unit")),
                "confidential": bool(kind.get("confidential")),
                "day_basis": clock.get("basis", "working"),
                "accept_days": int(clock.get("accept", 0)),
                "resolve_days": int(clock["resolve"]),
                "resolve_days_complex": clock.get("resolve_complex"),
                "forward_days": clock.get("forward"),
                "sort": index,
            })
        self.upsert(LegalKind, rows)

    def categories(self, units: dict[str, Unit]) -> dict[str, Category]:
        rows = [
            {
                "code": c["code"], "name_vi": c["vi"], "name_en": c["en"],
                "default_unit_id": self._unit_id(units, c["default_unit"]),
                "ward_first": bool(c.get("ward_first")),
                "confidential": bool(c.get("confidential")),
                "legal_kind_code": c.get("legal_type"), "sort": index, "active": True,
            }
            for index, c in enumerate(self.data["categories"])
        ]
        categories = self.upsert(Category, rows)
        self._deactivate(categories.values(), {row["code"] for row in rows})
        return categories

    def procedures(self, categories: dict[str, Category]) -> None:
        rows = []
        for c in self.data["categories"]:
            for index, p in enumerate(c.get("examples") or []):
                code = p.get("code") or f"{c['code']}/{_slug(p['vi'])}"
                rows.append({
                    "code": code, "category_id": categories[c["code"]].id,
                    "name_vi": clean_line(p["vi"]), "name_en": clean_line(p["en"]),
                    "sort": index, "active": True,
                })
        procedures = self.upsert(Procedure, rows)
        self._deactivate(procedures.values(), {row["code"] for row in rows})

    def keyword_rules(self, categories: dict[str, Category]) -> None:
        rows = []
        for rule in self.data.get("keyword_rules") or []:
            if rule["category"] not in categories:
                raise OrgDataError(f"keyword rule {rule['keyword']!r}: unknown category")
            rows.append({
                # Folded, or with its accents (lower case, NFC) when the rule
                # says so: routing matches it as it is stored.
                "keyword": (clean_line(rule["keyword"]).lower() if rule.get("accents")
                            else fold(rule["keyword"])),
                "category_id": categories[rule["category"]].id,
                "conduct": bool(rule.get("conduct")),
                "priority": int(rule.get("priority") or len(fold(rule["keyword"]))),
            })
        rules = self.upsert(KeywordRule, rows, key="keyword")
        self._delete_missing(rules, {row["keyword"] for row in rows})

    def calendar(self) -> None:
        cal = self.data.get("calendar") or {}
        rows = [{"day": _date(d), "working": False} for d in cal.get("extra_days_off") or []]
        rows += [{"day": _date(d), "working": True} for d in cal.get("extra_working_days") or []]
        days = self.upsert(CalendarDay, rows, key="day")
        self._delete_missing(days, {row["day"] for row in rows})

    def settings(self) -> None:
        service = self.data.get("service") or {}
        rows = [{"key": key, "value": json.dumps(service.get(key) or {})}
                for key in ("office_hours", "voice")]
        rows.append({"key": ROUTING_KEY, "value": json.dumps(self.routing(), ensure_ascii=False,
                                                              sort_keys=True)})
        self.upsert(OrgSetting, rows, key="key")

    def routing(self) -> dict:
        """service.routing and the wards' other names (aliases and a former name)."""
        config = dict((self.data.get("service") or {}).get("routing") or {})
        other = config.get("other_category")
        if other is not None and other not in {c["code"] for c in self.data["categories"]}:
            raise OrgDataError(f"service.routing.other_category is unknown: {other!r}")
        config["ward_aliases"] = {
            u["code"]: [clean_line(name) for name in [u.get("former_name_vi"), *(u.get("aliases") or [])]
                        if name]
            for u in self.data["units"] if u["kind"] in WARD_KINDS
        }
        return config

    @staticmethod
    def _unit_id(units: dict[str, Unit], code: str | None) -> int | None:
        if code is None:
            return None
        if code not in units:
            raise OrgDataError(f"unknown unit code {code!r}")
        return units[code].id

    def _deactivate(self, objects: Iterable, keep: set[str]) -> None:
        for obj in objects:
            if obj.code not in keep and obj.active:
                obj.active = False
                self.stats[f"{obj.__tablename__} deactivated"] += 1

    def _delete_missing(self, rows: dict, keep: set) -> None:
        for key, obj in rows.items():
            if key not in keep:
                db.session.delete(obj)
                self.stats[f"{obj.__tablename__} deleted"] += 1


def read(path: str | Path) -> Any:
    """A YAML file as PyYAML's safe loader reads it, with libyaml's parser when
    PyYAML has it: ~0.14 s for the organisation file instead of ~0.8 s."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load(path: str | Path) -> dict[str, int]:
    """Load the file at `path`; commit once; return counts of what changed."""
    data = read(path)
    loader = _Loader(data)
    try:
        units = loader.units()
        loader.hotlines()
        loader.legal_kinds(units)
        categories = loader.categories(units)
        loader.procedures(categories)
        loader.keyword_rules(categories)
        loader.calendar()
        loader.settings()
        ensure_stamp()  # a database loaded before the stamp existed gets one
    except (KeyError, TypeError, ValueError) as exc:
        db.session.rollback()
        if isinstance(exc, OrgDataError):
            raise
        raise OrgDataError(f"{path}: {exc!r}") from exc
    db.session.commit()
    return dict(loader.stats)
