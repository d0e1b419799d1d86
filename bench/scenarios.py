"""What each scenario asks, as a plan for bench/load.py, and the baseline
path it is compared with. Write scenarios run on a fresh database; page
scenarios on the database of each size."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable

from twilio.request_validator import RequestValidator

from data import OFFICER

AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "0" * 32
HOTLINE = "+84888801247"
SMS_TEXT = "Đèn chiếu sáng hẻm 12 đường Lê Lợi phường 7 bị hư đã hai tuần, đề nghị sửa."
FORM = {"kind": "phan-anh", "reporter_type": "citizen", "category": "", "procedure": "",
        "ward": "", "name": "Nguyễn Văn An", "email": "an@example.vn",
        "description": "Hồ sơ đăng ký khai sinh nộp tại phường 7 đã quá hẹn hai tuần."}


@dataclass(frozen=True)
class Scenario:
    name: str
    write: bool
    baseline: str                       # the baseline's path
    plan: Callable[[dict, str], dict]   # (facts, base URL) -> the plan's fields
    baseline_plan: Callable[[str], dict] | None = None


def _get(*paths: str) -> list[dict]:
    return [{"method": "GET", "path": path} for path in paths]


def signed_sms(base: str, path: str, count: int, start: int) -> list[dict]:
    """`count` inbound SMS, each a new message from a new sender, signed for `base`."""
    validator = RequestValidator(AUTH_TOKEN)
    requests = []
    for i in range(start, start + count):
        sid = f"SM{i:032x}"
        form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT_SID, "From": f"+849{i:08d}",
                "To": HOTLINE, "Body": SMS_TEXT, "NumMedia": "0", "NumSegments": "1",
                "SmsStatus": "received", "ApiVersion": "2010-04-01"}
        signature = validator.compute_signature(base + path, form)
        requests.append({"method": "POST", "path": path, "form": form,
                         "headers": {"X-Twilio-Signature": signature}})
    return requests


_senders = itertools.count(1)


def sms_plan(count: int) -> Callable:
    def plan(_facts: dict, base: str, path: str = "/hotline/sms") -> dict:
        start = next(_senders) * 1_000_000
        return {"requests": signed_sms(base, path, count, start), "once": True}
    return plan


def _form(phone_from: int) -> list[dict]:
    return [{"method": "POST", "path": "/submit", "form": {**FORM, "phone": f"09{phone_from + i:08d}"}}
            for i in range(500)]


def _officer() -> dict:
    email, password, _unit = OFFICER
    return {"path": "/staff/login", "email": email, "password": password}


def scenarios(sms_count: int) -> list[Scenario]:
    sms = sms_plan(sms_count)
    return [
        Scenario("sms webhook", True, "/sms", sms,
                 lambda base: sms({}, base, "/sms")),
        Scenario("web form POST", True, "/form",
                 lambda f, b: {"requests": _form(10_000_000), "flow": "form"},
                 lambda base: {"requests": [{"method": "POST", "path": "/form",
                                             "form": {"phone": "0912345678", "description": "x" * 60}}],
                               "flow": "form"}),
        Scenario("/track/<code>", False, "/page",
                 lambda f, b: {"requests": _get(*(f"/track/{code}" for code in f["codes"]))}),
        Scenario("/results page 1", False, "/page", lambda f, b: {"requests": _get("/results")}),
        Scenario("/results page 500", False, "/page",
                 lambda f, b: {"requests": _get(f"/results?after={f['after']}" if f["after"] else "/results")}),
        Scenario("search, accents", False, "/page",
                 lambda f, b: {"requests": _get("/results?q=đăng+ký+khai+sinh", "/results?q=chiếu+sáng")}),
        Scenario("search, no accents", False, "/page",
                 lambda f, b: {"requests": _get("/results?q=dang+ky+khai+sinh", "/results?q=chieu+sang")}),
        Scenario("staff inbox", False, "/page",
                 lambda f, b: {"requests": _get("/staff/"), "login": _officer()}),
        Scenario("staff search", False, "/page",
                 lambda f, b: {"requests": _get("/staff/?q=rac+thai", "/staff/?q=đèn"), "login": _officer()}),
        Scenario("/stats year", False, "/page",
                 lambda f, b: {"requests": _get(f"/stats?period={f['year']}")}),
    ]
