"""Open311 services: the fields (categories) of the organisation data, each
with the attributes a case of that field may carry. The business/citizen
distinction of the two hotlines is the `reporter_type` attribute (a business
also gives its name and tax code), as on the web form."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...domain.calendar import local_date
from ...extensions import db
from ...i18n import KIND_LABELS, localized
from ...models import Category, LegalKind, Unit
from ...models.org import WARD_KINDS
from ...models.types import utcnow


@dataclass(frozen=True)
class Service:
    service_code: str
    service_name: str
    description: str
    group: str                       # the office that answers this field
    keywords: str                    # its procedures, comma-separated
    metadata: bool = True
    type: str = "realtime"


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str                    # string | singlevaluelist
    required: bool
    description: str
    order: int
    datatype_description: str = ""
    values: list[tuple[str, str]] = field(default_factory=list)    # (key, name)
    variable: bool = True


def _categories() -> list[Category]:
    return list(db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.sort, Category.id)
        .options(selectinload(Category.procedures), selectinload(Category.default_unit))))


def _service(category: Category) -> Service:
    procedures = [p for p in category.procedures if p.active]
    return Service(
        service_code=category.code, service_name=localized(category),
        description=_("Phản ánh, kiến nghị về quy định và thủ tục hành chính lĩnh vực: %(name)s",
                      name=localized(category)),
        group=localized(category.default_unit),
        keywords=", ".join(localized(p) for p in procedures))


def services() -> list[Service]:
    return [_service(category) for category in _categories()]


def category(code: str) -> Category | None:
    return db.session.scalars(select(Category).where(
        Category.code == code, Category.active.is_(True))
        .options(selectinload(Category.procedures))).first()


def _choices(rows) -> list[tuple[str, str]]:
    return [(row.code, localized(row)) for row in rows]


def attributes(category: Category) -> list[Attribute]:
    """What a request of this field may say beyond the standard parameters."""
    kinds = db.session.scalars(select(LegalKind).order_by(LegalKind.sort)).all()
    today = local_date(utcnow())
    wards = [w for w in db.session.scalars(
        select(Unit).where(Unit.kind.in_(WARD_KINDS)).order_by(Unit.sort)) if w.active_on(today)]
    procedures = [p for p in category.procedures if p.active]
    yes_no = [("true", _("Có")), ("false", _("Không"))]
    return [
        Attribute("kind", "singlevaluelist", False, _("Loại nội dung (mặc định: phản ánh)"), 1,
                  values=[(k.code, str(KIND_LABELS.get(k.code, k.name_vi))) for k in kinds]),
        Attribute("reporter_type", "singlevaluelist", False,
                  _("Người gửi là cá nhân hay doanh nghiệp (mặc định: cá nhân)"), 2,
                  values=[("citizen", _("Cá nhân")), ("business", _("Doanh nghiệp"))]),
        Attribute("business_name", "string", False, _("Tên doanh nghiệp (bắt buộc với doanh nghiệp)"), 3),
        Attribute("tax_code", "string", False, _("Mã số thuế (bắt buộc với doanh nghiệp)"), 4,
                  datatype_description=_("10 chữ số, hoặc 13 với chi nhánh")),
        Attribute("procedure", "singlevaluelist", False, _("Thủ tục hành chính liên quan"), 5,
                  values=_choices(procedures)),
        Attribute("ward", "singlevaluelist", False, _("Phường, xã nơi phát sinh"), 6,
                  values=_choices(wards)),
        Attribute("consent_publish", "singlevaluelist", False,
                  _("Đồng ý công khai nội dung phản ánh (không kèm thông tin cá nhân)"), 7,
                  values=yes_no),
    ]
