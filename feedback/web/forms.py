"""The submission form. Choices come from the organisation data at request time;
the intake service does the real validation, so every channel shares it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField,
)

from ..domain.calendar import local_date
from ..extensions import db
from ..i18n import KIND_LABELS, REPORTER_LABELS, localized
from ..models import Category, LegalKind, Procedure, Unit
from ..models.org import WARD_KINDS
from ..models.types import utcnow


class SubmitForm(FlaskForm):
    kind = RadioField(_l("Bạn muốn gửi"), validate_choice=False, default="phan-anh")
    reporter_type = RadioField(_l("Bạn là"), validate_choice=False, default="citizen",
                               choices=list(REPORTER_LABELS.items()))
    business_name = StringField(_l("Tên doanh nghiệp"))
    tax_code = StringField(_l("Mã số thuế"))
    category = SelectField(_l("Lĩnh vực"), validate_choice=False)
    procedure = SelectField(_l("Thủ tục hành chính (nếu có)"), validate_choice=False)
    ward = SelectField(_l("Phường, xã nơi phát sinh (nếu có)"), validate_choice=False)
    description = TextAreaField(_l("Nội dung"))
    name = StringField(_l("Họ và tên"))
    phone = StringField(_l("Số điện thoại"))
    email = StringField(_l("Email"))
    consent_publish = BooleanField(
        _l("Tôi đồng ý công khai nội dung và kết quả trả lời sau khi đã bỏ thông tin cá nhân.")
    )
    attachments = MultipleFileField(_l("Tệp đính kèm"))
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = StringField("Website")

    def load_choices(self) -> None:
        kinds = db.session.scalars(select(LegalKind).order_by(LegalKind.sort)).all()
        self.kind.choices = [(k.code, KIND_LABELS.get(k.code, k.name_vi)) for k in kinds]
        categories = db.session.scalars(
            select(Category).where(Category.active.is_(True)).order_by(Category.sort)
        ).all()
        self.category.choices = [("", _l("— Chưa rõ, để cơ quan phân loại —"))] + [
            (c.code, localized(c)) for c in categories
        ]
        procedures = db.session.scalars(
            select(Procedure)
            .join(Category)
            .where(Procedure.active.is_(True), Category.active.is_(True))
            .order_by(Category.sort, Procedure.sort)
        ).all()
        self.procedure.choices = [("", _l("— Không chọn —"))] + [
            (p.code, localized(p)) for p in procedures
        ]
        # For <optgroup data-category=…>: the script shows only the chosen field's group.
        by_id = {c.id: c for c in categories}
        self.procedure_groups = {}
        for p in procedures:
            category = by_id[p.category_id]
            group = self.procedure_groups.setdefault(
                category.code, {"label": localized(category), "options": []}
            )
            group["options"].append((p.code, localized(p)))
        today = local_date(utcnow())
        wards = db.session.scalars(
            select(Unit).where(Unit.kind.in_(WARD_KINDS)).order_by(Unit.sort)
        ).all()
        self.ward.choices = [("", _l("— Không chọn —"))] + [
            (w.code, localized(w)) for w in wards if w.active_on(today)
        ]
