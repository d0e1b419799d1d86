"""Hostile input on every route of the URL map: never a 5xx.

Walks `app.url_map.iter_rules()` (public pages, staff pages signed in as a user
of each role, and the webhooks, with Twilio requests signed as Twilio signs
them and gateway bodies signed with the gateway's secret, so they get past the
signature check), and sends each route hostile values in its path, query
string and body: a corpus of values known to break things (2^63, lone
surrogates, NUL, invalid UTF-8, 10,000 characters, dates in year 1…), then
more drawn by hypothesis. Every answer must be below 500. The parameter names
come from the code itself (every `args.get("…")`, `form.get("…")` and form
field), so a route added later is fuzzed with its own fields.

A failing example names the rule, the role and the request, for replay.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import string
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter, PathConverter

from config.settings import ROOT
from feedback.domain.permissions import ROLES
from tests.fakes import webhooks
from tests.staff import make_user, sign_in

EXAMPLES = 2
# Sign-in hashes a password on every attempt (the same time for any e-mail):
# a shorter corpus there, as anonymous only, keeps the walk under a minute.
SLOW = {"/staff/login": 10}
BIG = [str(2**31 - 1), str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 40, "0"]
TEXT = [
    "", "-1", "1e309", "NaN", "１２３", "١٢٣٤٥٦٧٨٩٠", "a\x00b", "\r\n\u202e\ufeff",
    "𝔘𝔫𝔦 Đường ngập", "<script>{{7*7}}%(n)s' OR 1=1 --", "../../etc/passwd",
    "0001-01-01", "9999-12-31T23:59:59", "x" * 10_001, "9" * 5000, "2417 3095 8826",
    "+84" + "9" * 40,
] + BIG
RAW_QUERIES = ["%ff%fe=%c3%28", "a=%ED%A0%80", "=&&==", "q" * 3000 + "=1"]
TWILIO_FIELDS = [
    "MessageSid", "SmsSid", "From", "To", "Body", "NumMedia", "MediaUrl0", "MediaContentType0",
    "MessageStatus", "ErrorCode", "CallSid", "Called", "ForwardedFrom", "Digits", "RecordingSid",
    "RecordingUrl", "RecordingDuration", "RecordingStatus", "CallStatus", "CallDuration",
    "DialCallStatus",
]
GATEWAY_SECRET = b"gateway-secret-for-tests"


def _names_in_code() -> list[str]:
    """Every request parameter and form field the package reads."""
    found: set[str] = set()
    for path in (ROOT / "feedback").rglob("*.py"):
        source = path.read_text()
        found.update(re.findall(r"(?:args|form|files)\.get(?:list)?\(\s*[\"'](\w+)", source))
        found.update(re.findall(r"^\s+(\w+)\s*=\s*\w*Field\(", source, re.M))
    return sorted(found - {"csrf_token"})


NAMES = _names_in_code()
text_values = st.one_of(st.sampled_from(TEXT), st.text(max_size=30),
                        st.from_regex(r"[0-9]{1,30}", fullmatch=True))
fields = st.dictionaries(st.sampled_from(NAMES), text_values, max_size=6)


def _rules():
    from feedback import create_app
    from tests.testapp import app_config

    app = create_app(app_config("sqlite://", "/nonexistent"))
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, sorted(r.methods)))


def _kind(rule) -> str:
    if rule.rule.startswith("/hotline/gateway"):
        return "gateway"
    if rule.rule.startswith("/hotline"):
        return "twilio"
    return "staff" if rule.rule.startswith("/staff") else "public"


RULES = [(rule.rule, method, _kind(rule)) for rule in _rules()
         for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def _segment(converter, value: str) -> str:
    if isinstance(converter, IntegerConverter):
        return value if value.isdigit() else "0"
    return quote(value, safe="/" if isinstance(converter, PathConverter) else "")


def build_path(rule, values: dict[str, str]) -> str:
    """The rule's path with `values` (quoted) in place of its arguments."""
    path = rule.rule
    for name, converter in rule._converters.items():
        path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", lambda _, c=converter, n=name: _segment(c, values[n]),
                      path, count=1)
    return path


def _args(rule, draw_value) -> dict[str, str]:
    return {name: draw_value(BIG if isinstance(conv, IntegerConverter) else TEXT)
            for name, conv in rule._converters.items()}


class Fuzzer:
    """Sends hostile requests to one rule as one client, and checks the answer."""

    def __init__(self, client, rule, method: str, kind: str, role: str):
        self.client, self.rule, self.method, self.kind, self.role = client, rule, method, kind, role

    def send(self, path: str, query: str, body: dict, raw_json: bytes | None = None):
        url = f"{path}?{query}" if query else path
        if self.kind == "gateway":
            raw = raw_json if raw_json is not None else json.dumps(body).encode()
            signature = "sha256=" + hmac.new(GATEWAY_SECRET, raw, hashlib.sha256).hexdigest()
            response = self.client.post(url, data=raw, content_type="application/json",
                                        headers={"X-Gateway-Signature": signature})
        elif self.kind == "twilio":
            params = {**webhooks.call_params(), **webhooks.sms_params("x"), **body}
            response = webhooks.post(self.client, url, params)
        else:
            response = self.client.open(url, method=self.method,
                                        data=body if self.method == "POST" else None)
        response.get_data()
        assert response.status_code < 500, (self.role, self.method, url[:300], str(body)[:300],
                                            (raw_json or b"")[:100], response.status_code)
        return response

    def corpus(self, values: list[str]) -> None:
        """Each known-hostile value in each path argument, query and body field
        (long values in a few fields only, to keep the requests small)."""
        for value in values:
            names = NAMES if len(value) < 100 else NAMES[::20]
            path = build_path(self.rule, {name: value for name in self.rule._converters})
            body = {name: value for name in self._body_names() if len(value) < 100 or name in names}
            self.send(path, urlencode({name: value for name in names}), body)

    def raw_queries(self) -> None:
        for raw in RAW_QUERIES:
            self.send(build_path(self.rule, {n: "0" for n in self.rule._converters}), raw, {})

    def drawn(self, examples: int) -> None:
        """Values drawn by hypothesis for the path, the query and the body."""

        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(data=st.data(), query=fields, body=fields)
        def run(data, query, body):
            args = _args(self.rule, lambda corpus: data.draw(st.one_of(
                st.sampled_from(corpus), st.text(alphabet=string.printable, max_size=30))))
            if self.kind == "twilio":
                body = {**body, **data.draw(st.dictionaries(
                    st.sampled_from(TWILIO_FIELDS), text_values, max_size=4))}
            self.send(build_path(self.rule, args), urlencode(query), body)

        run()

    def _body_names(self) -> list[str]:
        if self.kind == "twilio":
            return TWILIO_FIELDS
        if self.kind == "gateway":
            return ["id", "from", "to", "text", "received_at"]
        return NAMES if self.method == "POST" else []


def _gateway_bodies() -> list[bytes]:
    valid = {"id": "fz-1", "from": "0912345678", "to": "0888801247", "text": "Đường ngập nặng."}
    return [b"[" * 100_000 + b"]" * 100_000, b"{" * 3000, b"\xff\xfe", b"null", b"1e999999",
            json.dumps({**valid, "text": "\ud800"}).encode(),
            json.dumps({**valid, "id": 2**63}).encode(),
            json.dumps({**valid, "received_at": "0001-01-01T00:00:00+07:00"}).encode(),
            json.dumps({**valid, "received_at": "9999-12-31T23:59:59-12:00"}).encode(),
            json.dumps({**valid, "id": "x" * 201}).encode()]


def _email(role: str) -> str:
    return f"fuzz-{role.replace('_', '-')}@vungtau.example"


@pytest.fixture
def role_clients(app, db):
    """A client for each staff role, signed in through the real form, and an anonymous one."""
    clients = {"anonymous": app.test_client()}
    for role in ROLES:
        make_user(_email(role), role=role)
        clients[role] = app.test_client()
        assert sign_in(clients[role], _email(role)).status_code == 302
    return clients


def _roles_for(kind: str, rule_path: str) -> list[str]:
    if kind in ("twilio", "gateway") or rule_path in SLOW:
        return ["anonymous"]
    return ["anonymous", *ROLES] if kind == "staff" else ["anonymous", "city_office"]


def _deep_role(fuzzers: list[Fuzzer]) -> Fuzzer:
    """The first client the route lets in (not sent to sign in, not refused):
    the full corpus goes through it, past the permission check."""
    for fuzzer in reversed(fuzzers):
        path = build_path(fuzzer.rule, {n: "0" for n in fuzzer.rule._converters})
        if fuzzer.send(path, "", {}).status_code not in (302, 401, 403):
            return fuzzer
    return fuzzers[0]


# The walk in parts, so that parallel test processes share it.
PARTS = 4


@pytest.mark.heavy
@pytest.mark.parametrize("part", range(PARTS))
def test_no_route_answers_hostile_input_with_a_5xx(app, role_clients, part):
    """Every rule of the URL map, every method, as each role that could call it."""
    for rule_path, method, kind in RULES[part::PARTS]:
        rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_path)
        fuzzers = [Fuzzer(role_clients[role], rule, method, kind, role)
                   for role in _roles_for(kind, rule_path)]
        deep = _deep_role(fuzzers)
        deep.corpus(TEXT[:SLOW.get(rule_path, len(TEXT))])
        deep.raw_queries()
        if kind == "gateway":
            for raw in _gateway_bodies():
                deep.send(rule.rule, "", {}, raw)
        for fuzzer in fuzzers:
            fuzzer.corpus([BIG[3]])
            fuzzer.drawn(EXAMPLES)
            _still_signed_in(fuzzer)


def _still_signed_in(fuzzer: Fuzzer) -> None:
    """A fuzzed sign-out (or sign-in form) must not leave the next rules unsigned
    (a GET signs nobody out: it is not checked after one)."""
    if fuzzer.role == "anonymous" or fuzzer.method == "GET":
        return
    if fuzzer.client.get("/staff/").status_code != 200:
        assert sign_in(fuzzer.client, _email(fuzzer.role)).status_code == 302


# Command-line arguments ------------------------------------------------------------

CLI = [
    ["users", "create", "{v}", "--role", "operator"],
    ["users", "create", "op@vungtau.example", "--role", "{v}"],
    ["users", "create", "op@vungtau.example", "--role", "officer", "--unit", "{v}"],
    ["users", "create", "op@vungtau.example", "--role", "operator", "--name", "{v}"],
    ["demo", "--cases", "{v}"],
    ["demo", "--cases", "0", "--seed", "{v}"],
]


def _not_a_small_count(value: str) -> bool:
    """Hostile values only: a count Python reads as 1..10^6 would make real demo data."""
    try:
        return not 0 < int(value) <= 10**6
    except ValueError:
        return True


@pytest.mark.parametrize("argv", CLI, ids=[" ".join(a) for a in CLI])
def test_hostile_command_line_arguments_are_refused_cleanly(runner, argv):
    """A bad argument is a usage error or a clear message (exit 1 or 2), never a
    traceback. (A NUL cannot be in a command's arguments: C strings end there.)"""
    texts = [v for v in TEXT + BIG[:3] if "\x00" not in v]
    values = [v for v in texts if len(v) < 100 and _not_a_small_count(v)]
    for value in values if "--cases" in argv[:2] else texts:
        args = [a.replace("{v}", value) for a in argv]
        result = runner.invoke(args=args, input="mat-khau-dai-du-an-toan-2021\n")
        assert result.exit_code in (0, 1, 2), (args, result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args, repr(result.exception))
