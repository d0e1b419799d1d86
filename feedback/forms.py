"""The case form, shared by the public submission page and the operators' console.
Choices come from the organisation data, made once per snapshot of it, language
and day (~2 ms a form otherwise); the intake service does the real validation,
so every channel shares it."""
from __future__ import annotations

from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, MultipleFileField, StringField, TextAreaField

from .domain.calendar import local_date
from .i18n import CHANNEL_LABELS, KIND_LABELS, REPORTER_LABELS, localized
from .models import Category
from .models.types import utcnow
from .services import intake, orgdata


def attach_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Put a service's errors beside their fields; the rest above the form."""
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [message]
        else:
            form.form_errors.append(message)


class SubmitForm(FlaskForm):
    """Choice fields are plain strings: the options (in `choices`) are rendered by
    the template and checked by the intake service."""

    kind = StringField(_l("Bạn muốn gửi"), default="phan-anh")
    reporter_type = StringField(_l("Bạn là"), default="citizen")
    business_name = StringField(_l("Tên doanh nghiệp"))
    tax_code = StringField(_l("Mã số thuế"))
    category = StringField(_l("Lĩnh vực"))
    procedure = StringField(_l("Thủ tục hành chính (nếu có)"))
    ward = StringField(_l("Phường, xã nơi phát sinh (nếu có)"))
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

    def submission(self, channel: str, **extra) -> intake.Submission:
        """What was typed, as the intake service takes it (it normalises and checks)."""
        return intake.Submission(
            kind=self.kind.data or "", channel=channel, description=self.description.data or "",
            reporter_type=self.reporter_type.data or "",
            category_code=self.category.data or None, procedure_code=self.procedure.data or None,
            ward_code=self.ward.data or None, name=self.name.data or "",
            phone=self.phone.data or "", email=self.email.data or "",
            business_name=self.business_name.data or "", tax_code=self.tax_code.data or "",
            consent_publish=bool(self.consent_publish.data), **extra,
        )

    def show_rejected(self, submission: intake.Submission, errors: dict[str, str]) -> None:
        """The intake's errors beside their fields; free text shown as it will be
        stored (NFC, trimmed), everything else as typed."""
        attach_errors(self, errors)
        self.description.data = submission.description
        self.name.data = submission.name

    def prefill(self, args) -> None:
        """A field and procedure chosen from the catalogue, if they exist."""
        category, procedure = args.get("category", ""), args.get("procedure", "")
        if any(code == category for code, _ in self.choices["category"]):
            self.category.data = category
            group = self.procedure_groups.get(category, {"options": []})
            if any(code == procedure for code, _ in group["options"]):
                self.procedure.data = procedure

    def load_choices(self) -> None:
        today = local_date(utcnow())
        choices, self.procedure_groups = orgdata.current().derived(
            f"form-choices:{get_locale()}:{today}", lambda org: _form_choices(org, today))
        self.choices = dict(choices)   # a form may add lists of its own (the operator's hotlines)


def _form_choices(org: orgdata.Snapshot, today: date) -> tuple[dict, dict]:
    """The form's lists, and the active procedures of each field."""
    categories = _sorted(c for c in org.categories.values() if c.active)
    choices = {
        "kind": [(k.code, KIND_LABELS.get(k.code, k.name_vi)) for k in _sorted(org.kinds.values())],
        "reporter_type": list(REPORTER_LABELS.items()),
        "category": [("", _l("— Chưa rõ, để cơ quan phân loại —"))]
        + [(c.code, localized(c)) for c in categories],
        "ward": [("", _l("— Không chọn —"))] + [
            (w.code, localized(w)) for w in _sorted(org.units.values()) if w.is_ward and w.active_on(today)],
    }
    return choices, _procedure_groups(org, categories)


def _sorted(rows):
    """Organisation rows in their file's order (from the per-process snapshot:
    the choices of every form and filter cost no query)."""
    return sorted(rows, key=lambda row: (row.sort, row.id))


def _procedure_groups(org: orgdata.Snapshot, categories: list[Category]) -> dict[str, dict]:
    """Active procedures by category code, for <optgroup data-category=…>."""
    groups = {c.code: {"label": localized(c), "options": []} for c in categories}
    by_id = {c.id: c.code for c in categories}
    for p in _sorted(p for p in org.procedures.values() if p.active):
        if p.category_id in by_id:
            groups[by_id[p.category_id]]["options"].append((p.code, localized(p)))
    return {code: group for code, group in groups.items() if group["options"]}


def org_choices() -> dict[str, list[tuple[str, str]]]:
    """The organisation's codes and names for list filters, staff and public
    (made once per snapshot and language; not to be changed)."""
    return orgdata.current().derived(f"org-choices:{get_locale()}", _org_choices)


def _org_choices(org: orgdata.Snapshot) -> dict[str, list[tuple[str, str]]]:
    units = _sorted(u for u in org.units.values() if u.retired_on is None)
    return {
        "kind": list(KIND_LABELS.items()),
        "category": [(c.code, localized(c)) for c in _sorted(org.categories.values()) if c.active],
        "ward": [(u.code, localized(u)) for u in units if u.is_ward],
        "unit": [(u.code, localized(u)) for u in units if not u.is_triage],
        "channel": list(CHANNEL_LABELS.items()),
        "hotline": [(h.code, f"{h.display} · {localized(h)}") for h in _sorted(org.hotlines.values())],
    }
