"""``make bench``: run every benchmark and write their tables, with this machine's figures, to
docs/benchmarks.md. Not part of CI: benchmarks need a quiet machine and minutes, and a timed test would flake.

    .venv/bin/python bench/run_all.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks.md"
MARKER = "<!-- bench/run_all.py writes below this line; the summary above is written by people -->"

BENCHES = [
    ("Poll (issue 2)", ["bench_poll.py", "--runs", "3"], ["bench_poll.py", "--runs", "1"]),
    ("Rules (issue 4)", ["bench_rules.py", "--enrich"], ["bench_rules.py"]),
    ("Enrichment (issue 3)", ["bench_enrichment.py", "--runs", "3"], ["bench_enrichment.py", "--runs", "1"]),
    ("Alerts (issue 5)", ["bench_alerts.py"], ["bench_alerts.py", "--samples", "5", "--alerts", "200"]),
    ("Exactly once under chaos (issue 12)", ["chaos_table.py"], ["chaos_table.py", "--quick"]),
    (
        "Side by side with rss2email, whole processes (issue 10)",
        ["side_by_side.py"],
        ["side_by_side.py", "--quick"],
    ),
]


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GiB RAM"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; load average {load:.2f} at start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs and samples (a smoke run)")
    args = parser.parse_args()
    kept = (
        DOC.read_text().split(MARKER)[0].rstrip() + "\n\n"
        if DOC.exists() and MARKER in DOC.read_text()
        else ""
    )
    sections = [
        kept + MARKER + "\n",
        "## Raw figures\n",
        f"Written by `make bench` ({'quick' if args.quick else 'full'} run) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.\n",
        f"Machine: {machine()}.\n",
        "Each section is the benchmark's own output; the command that produced it is above it.\n",
    ]
    for title, full, quick in BENCHES:
        command = [
            sys.executable,
            str(REPO / "bench" / (quick if args.quick else full)[0]),
            *(quick if args.quick else full)[1:],
        ]
        print(f"== {title}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
        elapsed = time.perf_counter() - started
        body = result.stdout.strip() or "(no output)"
        if result.returncode != 0:
            body += f"\n\n**The benchmark failed (exit {result.returncode}):**\n\n```\n{result.stderr[-3000:]}\n```"
        sections.append(
            f"### {title}\n\n`python {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command[1:]))}` "
            f"({elapsed:.0f} s)\n\n{body}\n"
        )
    DOC.write_text("\n".join(sections))
    print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
