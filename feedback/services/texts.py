"""SMS texts: templates under templates/sms/, unaccented Vietnamese that fits
one GSM-7 segment, whoever sends them (a TwiML reply, the gateway, the outbox)."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from ..domain import sms, trackcode
from ..i18n import STATE_LABELS
from ..models import Case


def _case_context(case: Case) -> dict:
    unit = (case.unit.short_vi or case.unit.name_vi) if case.unit else ""
    return {"case": case, "code": trackcode.display(case.code), "unit": sms.unaccent(unit),
            "state": sms.unaccent(str(STATE_LABELS[case.state]))}


def sms_text(template: str, case: Case | None = None, **context) -> str:
    with force_locale("vi"):
        if case is not None:
            context = {**_case_context(case), **context}
        return sms.fit(render_template(f"sms/{template}.txt", **context))
