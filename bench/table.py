"""The benchmark's table, as printed by bench/run.py."""
from __future__ import annotations

HEADER = ("scenario", "cases", "req/s", "p50 ms", "p95 ms", "p99 ms", "base req/s", "base p99",
          "x base", "errors", "worker MB")


def _row(r: dict) -> tuple:
    base = r["baseline"]
    return (r["scenario"] + (f" (p.{r['page']})" if r.get("page") not in (None, 500) else ""),
            f"{r['cases']:,}" if r["cases"] else "fresh", f"{r['rps']:.0f}", f"{r['p50']:.1f}",
            f"{r['p95']:.1f}", f"{r['p99']:.1f}", f"{base['rps']:.0f}", f"{base['p99']:.1f}",
            f"{r['ratio']:.2f}" if r["ratio"] else "-", str(int(r["errors"])),
            "/".join(f"{mb:.0f}" for mb in r["worker_rss_mb"]))


def render(rows: list[dict]) -> str:
    lines = [HEADER, *map(_row, rows)]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(HEADER))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                             for i, (cell, w) in enumerate(zip(line, widths, strict=True))))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
