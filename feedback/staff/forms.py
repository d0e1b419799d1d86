"""The operators' forms. A case logged from a call asks what the public form
asks (and is checked by the same intake service), worded for the operator and
with the hotline the call came in on; a note needs only a tracking code."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, StringField, TextAreaField

from ..domain.contact import phone_display
from ..extensions import db
from ..i18n import localized
from ..models import Call, Hotline
from ..forms import SubmitForm


class CallCaseForm(SubmitForm):
    """A case opened on the caller's behalf. No attachments and no honeypot:
    the operator is signed in and types what the caller says."""

    kind = StringField(_l("Người gọi muốn gửi"), default="phan-anh")
    reporter_type = StringField(_l("Người gọi là"), default="citizen")
    description = TextAreaField(_l("Nội dung người gọi phản ánh"))
    name = StringField(_l("Họ và tên người gọi"))
    phone = StringField(_l("Số điện thoại người gọi"))
    consent_publish = BooleanField(
        _l("Người gọi đồng ý công khai nội dung và kết quả trả lời (đã bỏ thông tin cá nhân).")
    )
    hotline = StringField(_l("Đường dây nóng"))
    attachments = None
    website = None

    def load_choices(self) -> None:
        super().load_choices()
        hotlines = db.session.scalars(select(Hotline).order_by(Hotline.sort)).all()
        self.choices["hotline"] = [("", _l("— Không qua đường dây nóng —"))] + [
            (h.code, f"{h.display} · {localized(h)}") for h in hotlines
        ]

    def prefill(self, call: Call) -> None:
        """Start from what the line already tells: the caller's number and the hotline."""
        self.phone.data = phone_display(call.from_number)
        if call.hotline is not None:
            self.hotline.data = call.hotline.code


class CaseNoteForm(FlaskForm):
    code = StringField(_l("Mã tra cứu của phản ánh"))
    note = TextAreaField(_l("Nội dung ghi chú"))
