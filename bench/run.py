"""make bench: the service against a bare-stack baseline, on gunicorn (2
workers) on 127.0.0.1, in one run; one table, and the same as JSON.

  .venv/bin/python bench/run.py [--sizes 10000,100000,1000000] [--duration 5]
                                [--runs 3] [--only NAME,...] [--out bench/results.json]

SQLite by default; PostgreSQL when DATABASE_URL is set (databases named after
it, with a suffix per size, are created). See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402
from scenarios import ACCOUNT_SID, AUTH_TOKEN, Scenario, scenarios  # noqa: E402
from servers import free_port, serve, worker_rss  # noqa: E402

CONNECTIONS = 32


def app_env(port: int, url: str, cache: Path) -> dict:
    many = "1000000 per minute"
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "SMS_SENDER": "log", "REDIS_URL": "",
            "UPLOAD_DIR": str(cache / "uploads"), "SUBMIT_RATE_LIMIT": many,
            "TRACK_RATE_LIMIT": many, "LOGIN_RATE_LIMIT": many, "LOGIN_LOCKOUT_FAILURES": "0"}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def load(spec: dict) -> dict:
    """One timed run of bench/load.py (a process of its own) with `spec`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as plan:
        json.dump(spec, plan)
    done = subprocess.run([sys.executable, str(HERE / "load.py"), plan.name],
                          capture_output=True, text=True, timeout=spec["duration"] + 120)
    os.unlink(plan.name)
    if done.returncode:
        raise SystemExit(f"load generator failed:\n{done.stderr}")
    result = json.loads(done.stdout)
    samples = result["samples"]
    errors = sum(n for status, n in result["statuses"].items() if not status.startswith(("2", "3")))
    return {"rps": len(samples) / result["seconds"], "p50": percentile(samples, 0.5),
            "p95": percentile(samples, 0.95), "p99": percentile(samples, 0.99),
            "errors": errors, "requests": len(samples)}


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure(scenario: Scenario, facts: dict, app: str, base: str, args) -> dict:
    """The scenario and its baseline, alternating, `runs` times each."""
    common = {"duration": args.duration, "warmup": args.warmup, "connections": CONNECTIONS}
    ours, theirs = [], []
    for _ in range(args.runs):
        baseline = (scenario.baseline_plan(base) if scenario.baseline_plan
                    else {"requests": [{"method": "GET", "path": scenario.baseline}]})
        theirs.append(load({**common, "base": base, **baseline}))
        ours.append(load({**common, "base": app, **scenario.plan(facts, app)}))
    mine, bare = median_of(ours), median_of(theirs)
    return {**mine, "baseline": bare, "ratio": mine["rps"] / bare["rps"] if bare["rps"] else None,
            "p99_ratio": mine["p99"] / bare["p99"] if bare["p99"] else None}


@contextmanager
def stacks(url: str, cache: Path):
    """The app and the baseline, each on gunicorn with 2 workers, on `url`."""
    app_port, base_port = free_port(), free_port()
    base_env = {**os.environ, "BENCH_DATABASE_URL": url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                "PUBLIC_BASE_URL": f"http://127.0.0.1:{base_port}", "PYTHONPATH": str(HERE.parent)}
    with serve("app:app", app_port, app_env(app_port, url, cache)) as app, \
            serve("bench.baseline:app", base_port, base_env) as base:
        yield app, base


def run_group(group: list[Scenario], url: str, size: int | None, cache: Path, args) -> list[dict]:
    facts = data.facts(url) if size else {}
    rows = []
    with stacks(url, cache) as ((app, app_pid), (base, base_pid)):
        for scenario in group:
            print(f"  {scenario.name} ({size or 'fresh'}) ...", file=sys.stderr, flush=True)
            rows.append({"scenario": scenario.name, "cases": size,
                         **measure(scenario, facts, app, base, args)})
        rss = worker_rss(app_pid)
    for row in rows:
        row["worker_rss_mb"] = rss
    if facts:
        for row in rows:
            row["page"] = facts["page"] if row["scenario"] == "/results page 500" else None
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000", help="cases for the page scenarios, comma-separated")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per timed run")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before each run's clock")
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (the median is kept)")
    parser.add_argument("--only", default="", help="scenario names to run (substrings, comma-separated)")
    parser.add_argument("--cache", default=str(HERE / ".cache"), help="where the databases are kept")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    wanted = [w for w in args.only.split(",") if w]
    chosen = [s for s in scenarios(int(3000 * (args.duration + args.warmup)))
              if not wanted or any(w in s.name for w in wanted)]
    rows = []
    writes, pages = [s for s in chosen if s.write], [s for s in chosen if not s.write]
    env = app_env(0, "", cache)
    if writes:
        url = data.database_url(cache, "writes")
        data.build(env, url, 0)
        rows += run_group(writes, url, None, cache, args)
    for size in (int(s) for s in args.sizes.split(",") if s) if pages else ():
        rows += run_group(pages, data.sized(env, cache, size), size, cache, args)
    report(rows, args)


def report(rows: list[dict], args) -> None:
    from table import render

    print(render(rows))
    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    Path(args.out).write_text(json.dumps({
        "database": database, "connections": CONNECTIONS, "duration": args.duration,
        "runs": args.runs, "when": time.strftime("%Y-%m-%d %H:%M"), "rows": rows,
    }, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
