"""gunicorn for the benchmark (bench/gunicorn.conf.py: 2 workers), started and
stopped around a group of scenarios, and the memory its workers hold."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
CONFIG = str(Path(__file__).resolve().parent / "gunicorn.conf.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on {port} stopped: {process.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench_ready__", timeout=1)
        except urllib.error.HTTPError:
            return          # it answers (404): up
        except OSError:
            time.sleep(0.1)
            continue
        return
    raise SystemExit(f"gunicorn on {port} did not start")


@contextmanager
def serve(target: str, port: int, env: dict):
    """gunicorn serving `target` on 127.0.0.1:`port`; yields (base URL, master pid)."""
    process = subprocess.Popen(
        [GUNICORN, "-c", CONFIG, "--bind", f"127.0.0.1:{port}", target],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    try:
        _wait(port, process)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def worker_rss(master: int) -> list[float]:
    """Resident memory of each worker of the gunicorn `master`, in MB (from /proc)."""
    sizes = []
    for pid in _children(master):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sorted(sizes)
