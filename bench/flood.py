"""A flood of signed SMS against gunicorn, with a worker killed midway.

What a provider does on a bad day, on 127.0.0.1 only: 5,000 SMS from 1,000
numbers (five each, so each number has a thread of one case and four
additions), 10% of them delivered a second time, over 32 connections, against
gunicorn with 4 workers; midway one worker is killed with SIGKILL. The
senders behave as Twilio and the gateway do: a message whose request failed
(the connection dropped with the killed worker) is delivered again with the
same id. Four in five numbers write through Twilio (/hotline/sms, signed), one
in five through the gateway (/hotline/gateway/sms, signed JSON).

It then reads the database and shows that nothing was lost or doubled: one
row per distinct message, one case per number, every other message of the
number an addition to that case, no 5xx, and every redelivery answered with
the first delivery's reply.

Run: .venv/bin/python bench/flood.py                      (SQLite, a temporary file)
     .venv/bin/python bench/flood.py --database postgresql+psycopg://…/db   (its tables
     are dropped and made afresh: give it a database of its own)
Bounded: --timeout seconds (default 900) for the whole flood.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes import webhooks  # noqa: E402
from tests.fakes.twilio_server import ACCOUNT_SID, AUTH_TOKEN  # noqa: E402

GATEWAY_SECRET = "flood-gateway-secret"
HOST = "127.0.0.1"
PLACES = ["đường Lê Lợi", "hẻm 12 Trần Phú", "chợ phường 7", "bãi Sau", "đường Thùy Vân",
          "khu dân cư Chí Linh", "đường 30 Tháng 4", "phường Thắng Nhì"]
PROBLEMS = ["đèn đường hỏng nhiều ngày", "rác thải đổ bừa bãi", "nước ngập sau mưa",
            "vỉa hè bị lấn chiếm", "hồ sơ đăng ký khai sinh trễ hẹn", "karaoke ồn ào đến khuya"]


@dataclass
class Message:
    number: str
    index: int          # the n-th message of its number
    via: str            # twilio | gateway
    sid: str
    body: str


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    retried: int = 0
    latencies: list[float] = field(default_factory=list)
    replies: dict[str, set] = field(default_factory=dict)
    gave_up: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def messages(numbers: int, per_number: int, seed: int) -> list[Message]:
    rng = random.Random(seed)
    out = []
    for n in range(numbers):
        number, via = f"+8491{n:07d}", "gateway" if n % 5 == 4 else "twilio"
        for k in range(per_number):
            body = (f"Tin {k + 1}: {rng.choice(PROBLEMS)} ở {rng.choice(PLACES)}, "
                    f"đề nghị phường kiểm tra xử lý.")
            out.append(Message(number, k, via, webhooks.sid("SM"), body))
    return out


def deliveries(all_messages: list[Message], share: float, seed: int) -> list[Message]:
    """Every message once and a `share` of them twice, in any order: a number's
    messages race each other, and a copy may overtake its original."""
    rng = random.Random(seed)
    sent = all_messages + rng.sample(all_messages, int(len(all_messages) * share))
    rng.shuffle(sent)
    return sent


def request_for(message: Message, base: str) -> tuple[str, dict]:
    if message.via == "gateway":
        raw = json.dumps({"id": message.sid, "from": message.number, "to": "0888801247",
                          "text": message.body}, ensure_ascii=False).encode()
        signature = "sha256=" + hmac.new(GATEWAY_SECRET.encode(), raw, hashlib.sha256).hexdigest()
        return base + "/hotline/gateway/sms", {"data": raw, "headers": {
            "Content-Type": "application/json", "X-Gateway-Signature": signature}}
    params = webhooks.sms_params(message.body, from_=message.number, MessageSid=message.sid)
    signature = webhooks.sign("/hotline/sms", params, base=base)
    return base + "/hotline/sms", {"data": params, "headers": {"X-Twilio-Signature": signature}}


def reply_of(message: Message, response: requests.Response) -> str:
    if message.via == "gateway":
        return response.json()["reply"]
    return response.text


def deliver(message: Message, base: str, tally: Tally, session: requests.Session,
            deadline: float) -> None:
    """POST until answered, as a provider retries a delivery that got no answer."""
    url, kwargs = request_for(message, base)
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            response = session.post(url, timeout=30, **kwargs)
        except requests.RequestException:
            with tally.lock:
                tally.retried += 1
            time.sleep(0.2)
            continue
        with tally.lock:
            tally.statuses[response.status_code] += 1
            tally.latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code == 200:
                tally.replies.setdefault(message.sid, set()).add(reply_of(message, response))
        if response.status_code < 500:
            return
    with tally.lock:
        tally.gave_up.append(message.sid)


class Server:
    """gunicorn on 127.0.0.1 with its own environment, stopped on exit."""

    def __init__(self, database: str, workers: int, threads: int):
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.instance = tempfile.mkdtemp(prefix="flood-")
        self.env = {**os.environ, "DATABASE_URL": database, "PUBLIC_BASE_URL": self.base,
                    "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                    "TWILIO_API_BASE": "http://127.0.0.1:9", "SMS_SENDER": "log",
                    "SMS_GATEWAY_SECRET": GATEWAY_SECRET, "REDIS_URL": "",
                    "SECRET_KEY": "flood", "UPLOAD_DIR": self.instance}
        self.command = [str(ROOT / ".venv/bin/gunicorn"), "--bind", f"{HOST}:{self.port}",
                        "--workers", str(workers), "--threads", str(threads),
                        "--graceful-timeout", "5", "--log-level", "warning", "app:app"]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        log = open(Path(self.instance) / "gunicorn.log", "w")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start: see " + str(Path(self.instance) / "gunicorn.log"))

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill_one_worker(self) -> int:
        victim = self.workers()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def flood(server: Server, sent: list[Message], connections: int, kill: bool,
          deadline: float) -> tuple[Tally, int | None]:
    """Deliver everything over `connections` keep-alive connections; kill a
    worker when half of it has been answered."""
    tally, local, done = Tally(), threading.local(), Counter()
    halfway, killed = threading.Event(), []

    def one(message: Message) -> None:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        deliver(message, server.base, tally, local.session, deadline)
        with tally.lock:
            done["n"] += 1
            if done["n"] == len(sent) // 2:
                halfway.set()

    def killer() -> None:
        if halfway.wait(max(0.0, deadline - time.monotonic())):
            killed.append(server.kill_one_worker())

    if kill:
        threading.Thread(target=killer, daemon=True).start()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(one, sent))
    return tally, (killed[0] if killed else None)


def redeliveries_consistent(tally: Tally) -> bool:
    """Every message answered more than once got the same reply each time."""
    return all(len(replies) == 1 for replies in tally.replies.values())


def table(rows: list[dict]) -> None:
    columns = [("database", "{:10}"), ("requests", "{:>8}"), ("distinct", "{:>8}"),
               ("2xx", "{:>6}"), ("4xx", "{:>4}"), ("5xx", "{:>4}"), ("retried", "{:>7}"),
               ("lost", "{:>4}"), ("doubled", "{:>7}"), ("cases", "{:>5}"),
               ("1/number", "{:>8}"), ("added", "{:>6}"), ("same reply", "{:>10}"),
               ("p50 ms", "{:>7}"), ("p95 ms", "{:>7}"), ("max ms", "{:>7}"), ("req/s", "{:>6}"),
               ("seconds", "{:>7}"), ("killed", "{:>7}"), ("verdict", "{:>7}")]
    print(" ".join(fmt.format(name) for name, fmt in columns))
    for row in rows:
        print(" ".join(fmt.format(row[name]) for name, fmt in columns))


def run(database: str, label: str, args) -> dict:
    from bench.flood_db import check, prepare

    upload_dir = tempfile.mkdtemp(prefix="flood-uploads-")
    prepare(database, upload_dir)
    all_messages = messages(args.numbers, args.per_number, args.seed)
    sent = deliveries(all_messages, args.redeliveries, args.seed)
    with Server(database, args.workers, args.threads) as server:
        started = time.monotonic()
        tally, killed = flood(server, sent, args.connections, not args.no_kill,
                              started + args.timeout)
        seconds = time.monotonic() - started
    found = check(database, upload_dir, sent, args.per_number)
    latencies = sorted(tally.latencies) or [0.0]
    codes = tally.statuses
    row = {
        "database": label, "requests": sum(codes.values()), "distinct": found["distinct"],
        "2xx": sum(n for c, n in codes.items() if c < 300),
        "4xx": sum(n for c, n in codes.items() if 400 <= c < 500),
        "5xx": sum(n for c, n in codes.items() if c >= 500), "retried": tally.retried,
        "lost": found["lost"], "doubled": found["doubled"], "cases": found["cases"],
        "1/number": "yes" if found["one_case_per_number"] else "NO",
        "added": found["added"],
        "same reply": "yes" if redeliveries_consistent(tally) else "NO",
        "p50 ms": f"{statistics.median(latencies):.0f}",
        "p95 ms": f"{latencies[int(len(latencies) * 0.95) - 1]:.0f}",
        "max ms": f"{latencies[-1]:.0f}", "req/s": f"{sum(codes.values()) / seconds:.0f}",
        "seconds": f"{seconds:.0f}", "killed": killed or "-",
    }
    ok = (row["5xx"] == 0 and row["lost"] == 0 and row["doubled"] == 0 and not tally.gave_up
          and found["one_case_per_number"] and found["added"] == found["expected_added"]
          and row["same reply"] == "yes" and (killed or args.no_kill))
    row["verdict"] = "PASS" if ok else "FAIL"
    row["outcomes"] = found["outcomes"]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append",
                        help="SQLAlchemy URL (repeatable); default a temporary SQLite file")
    parser.add_argument("--numbers", type=int, default=1000)
    parser.add_argument("--per-number", type=int, default=5)
    parser.add_argument("--redeliveries", type=float, default=0.10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--no-kill", action="store_true", help="do not kill a worker midway")
    args = parser.parse_args()
    databases = args.database or [f"sqlite:///{tempfile.mkdtemp(prefix='flood-db-')}/flood.db"]
    rows = [run(url, url.split(":", 1)[0].split("+")[0], args) for url in databases]
    table(rows)
    for row in rows:
        print(f"{row['database']}: outcomes {row['outcomes']}")
    return 0 if all(row["verdict"] == "PASS" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
