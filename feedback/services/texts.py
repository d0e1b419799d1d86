"""Texts to the reporter. SMS: templates under templates/sms/, unaccented
Vietnamese that fits one GSM-7 segment, whoever sends them (a TwiML reply, the
gateway, the outbox). E-mail: templates under templates/email/, Vietnamese with
an English translation below, since we do not know the reporter's language."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale

from ..domain import sms, trackcode
from ..i18n import STATE_LABELS
from ..models import Case


def _case_context(case: Case) -> dict:
    unit = (case.unit.short_vi or case.unit.name_vi) if case.unit else ""
    return {"case": case, "code": trackcode.display(case.code), "unit": sms.unaccent(unit),
            "state": sms.unaccent(str(STATE_LABELS[case.state])),
            "due": case.committed_on or case.due_on}


def sms_text(template: str, case: Case | None = None, **context) -> str:
    with force_locale("vi"):
        if case is not None:
            context = {**_case_context(case), **context}
        return sms.fit(render_template(f"sms/{template}.txt", **context))


EMAIL_SUBJECTS = {
    "received": "Đã tiếp nhận phản ánh {code} / Your feedback {code} was received",
    "routed": "Phản ánh {code} đã được chuyển đơn vị xử lý / Feedback {code} was forwarded",
    "accepted": "Phản ánh {code} đang được xử lý / Feedback {code} is being handled",
    "late": "Phản ánh {code}: hẹn ngày trả lời mới / Feedback {code}: a new answer date",
    "answered": "Phản ánh {code} đã có trả lời / Feedback {code} has an answer",
    "rejected": "Phản ánh {code} không được thụ lý / Feedback {code} was not accepted",
}


def email_text(purpose: str, case: Case) -> tuple[str, str]:
    """Subject and plain-text body of an e-mail to the reporter."""
    code = trackcode.display(case.code)
    context = {
        "case": case, "code": code, "unit": case.unit,
        "due": case.committed_on or case.due_on,
        "url": f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/track/{case.code}",
    }
    with force_locale("vi"):
        body = render_template(f"email/{purpose}.txt", **context)
    return EMAIL_SUBJECTS[purpose].format(code=code), body
