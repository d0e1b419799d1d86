"""The load generator: a separate process, an asyncio client (aiohttp) with
CONNECTIONS connections to 127.0.0.1, each with its own cookies, for a fixed
time. It reads a plan (JSON) the runner prepared, so nothing is signed or
looked up while the clock runs, and prints its figures as JSON.

A plan: {"base": URL, "duration": s, "warmup": s, "connections": n,
"login": {"path", "email", "password"} or null, "flow": "plain" | "form",
"requests": [{"method", "path", "form": {...}, "headers": {...}}, ...]}.
Requests are taken in turn, each at most once when the plan says `once`
(every SMS is a new message). "form" fetches the form page, takes its CSRF
token and posts the request with it; the POST is what is timed.
"""
from __future__ import annotations

import asyncio
import json
import re
import sys
import time

import aiohttp

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class Plan:
    def __init__(self, spec: dict):
        self.spec, self.next = spec, 0
        self.samples: list[float] = []
        self.statuses: dict[str, int] = {}
        self.measuring = False
        self.deadline = 0.0

    def take(self) -> dict | None:
        requests = self.spec["requests"]
        if self.next >= len(requests) and self.spec.get("once"):
            return None
        request = requests[self.next % len(requests)]
        self.next += 1
        return request

    def record(self, status: int, seconds: float) -> None:
        if self.measuring:
            self.samples.append(seconds * 1000)
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1


async def _token(session: aiohttp.ClientSession, url: str) -> str:
    async with session.get(url) as response:
        found = TOKEN.search(await response.text())
    return next(group for group in found.groups() if group) if found else ""


async def _login(session: aiohttp.ClientSession, base: str, login: dict) -> None:
    token = await _token(session, base + login["path"])
    data = {"email": login["email"], "password": login["password"], "csrf_token": token}
    async with session.post(base + login["path"], data=data, allow_redirects=False) as response:
        assert response.status == 302, f"sign-in refused: {response.status}"


async def _one(session: aiohttp.ClientSession, plan: Plan, request: dict) -> None:
    base = plan.spec["base"]
    form = dict(request.get("form") or {})
    if plan.spec.get("flow") == "form":
        form["csrf_token"] = await _token(session, base + request["path"])
    start = time.perf_counter()
    async with session.request(request["method"], base + request["path"], data=form or None,
                               headers=request.get("headers"), allow_redirects=False) as response:
        await response.read()
    plan.record(response.status, time.perf_counter() - start)


async def _connection(plan: Plan, ready: asyncio.Queue, go: asyncio.Event) -> None:
    """Sign in (before any clock runs), then send requests until the deadline."""
    connector = aiohttp.TCPConnector(limit=1, force_close=False)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     timeout=aiohttp.ClientTimeout(total=30)) as session:
        if plan.spec.get("login"):
            await _login(session, plan.spec["base"], plan.spec["login"])
        await ready.put(1)
        await go.wait()
        while time.perf_counter() < plan.deadline and (request := plan.take()) is not None:
            try:
                await _one(session, plan, request)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                plan.record(599, 30.0)


async def run(spec: dict) -> dict:
    plan, ready, go = Plan(spec), asyncio.Queue(), asyncio.Event()
    tasks = [asyncio.create_task(_connection(plan, ready, go)) for _ in range(spec["connections"])]
    for _ in tasks:
        await ready.get()
    plan.deadline = time.perf_counter() + spec["warmup"] + spec["duration"]
    go.set()
    await asyncio.sleep(spec["warmup"])
    plan.measuring, measured_from = True, time.perf_counter()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - measured_from
    return {"samples": plan.samples, "statuses": plan.statuses, "seconds": elapsed}


def main() -> None:
    spec = json.loads(open(sys.argv[1], encoding="utf-8").read())
    result = asyncio.run(run(spec))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
