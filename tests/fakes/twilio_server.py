"""A fake Twilio REST API: real HTTP on 127.0.0.1, for the real twilio client.

It accepts Messages.json (recording what was sent, answering Twilio's JSON or
its error bodies) and serves media and recording files, all behind HTTP basic
auth with the account SID and token. The recording of any Twilio-shaped sid
(RE and 32 hex digits) is an MP3 (`recording_mp3(sid)`, one per recording), at
`RecordingUrl + ".mp3"` as Twilio serves it, unless a test put another file there.
"""
from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")
_RECORDING = re.compile(r"^/2010-04-01/Accounts/\w+/Recordings/(RE[0-9a-f]{32})\.mp3$")
# An ID3v2 header and one MPEG-1 layer III frame header (128 kbit/s, 44.1 kHz).
_MP3_HEAD = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64"


def recording_mp3(sid: str) -> bytes:
    """The MP3 the fake serves for recording `sid`."""
    return _MP3_HEAD + sid.encode() + bytes(413)


@dataclass
class FakeTwilio:
    base_url: str = ""
    sent: list[dict] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # To-number -> Twilio error code to answer with (21211, 21610, 21614…) or "timeout".
    failures: dict[str, object] = field(default_factory=dict)
    hang_seconds: float = 3.0
    requests: list[tuple[str, str]] = field(default_factory=list)

    def add_file(self, path: str, content_type: str, data: bytes) -> str:
        self.files[path] = (content_type, data)
        return self.base_url + path

    def recording_url(self, sid: str) -> str:
        """A RecordingUrl as Twilio sends it (without .mp3), served by this fake."""
        return f"{self.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}"


ERRORS = {
    21603: (400, "A 'From' phone number is required."),
    21211: (400, "The 'To' number is not a valid phone number."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number is not a valid mobile number"),
}


def _handler(state: FakeTwilio):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def _authorised(self) -> bool:
            expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            return self.headers.get("Authorization") == f"Basic {expected}"

        def _json(self, status: int, payload: dict) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            state.requests.append(("GET", self.path))
            if not self._authorised():
                return self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
            recording = _RECORDING.match(self.path)
            if self.path in state.files:
                content_type, data = state.files[self.path]
            elif recording:
                content_type, data = "audio/mpeg", recording_mp3(recording.group(1))
            else:
                return self._json(404, {"code": 20404, "message": "Not found", "status": 404})
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            state.requests.append(("POST", self.path))
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            match = _MESSAGES.match(self.path)
            if not self._authorised() or not match or match.group(1) != ACCOUNT_SID:
                return self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
            failure = state.failures.get(form.get("To")) or (None if form.get("From") else 21603)
            if failure == "timeout":   # answers too late: the client has given up and gone
                time.sleep(state.hang_seconds)
                with suppress(BrokenPipeError, ConnectionResetError):
                    self._json(201, self._message(form))
                return None
            if failure in ERRORS:
                status, message = ERRORS[failure]
                return self._json(status, {"code": failure, "message": message, "status": status,
                                           "more_info": f"https://www.twilio.com/docs/errors/{failure}"})
            state.sent.append(form)
            return self._json(201, self._message(form))

        def _message(self, form: dict) -> dict:
            return {"sid": "SM" + secrets.token_hex(16), "status": "queued", "to": form.get("To"),
                    "from": form.get("From"), "body": form.get("Body"), "account_sid": ACCOUNT_SID,
                    "num_segments": "1", "direction": "outbound-api", "error_code": None}

    return Handler


def start() -> tuple[FakeTwilio, ThreadingHTTPServer]:
    state = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
