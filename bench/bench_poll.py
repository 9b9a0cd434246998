"""Poll benchmark (issue: the pipeline end to end): 200 feeds x 50 entries from a local server with 50 ms
latency — cold poll, warm poll (all 304), then 5 new entries per feed. Uses ../shared/bench (the shared
generator and server) so the figures compare with rss2email's and feed2exec's measured on the same work.

    .venv/bin/python bench/bench_poll.py [--runs 3] [--feeds 200] [--entries 50]

Prints a markdown table; ``bench/run_all.py`` writes it into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor import pipeline
from monitor.daemon.service import _cycle as daemon_cycle
from monitor.daemon.workers import parse_pool
from monitor.pipeline import open_database
from monitor.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
T0 = datetime(2026, 1, 10, tzinfo=UTC)


def _start_server(folder: Path, workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port_file = workdir / "port"
    server = subprocess.Popen(
        [
            sys.executable,
            str(SHARED_BENCH / "serve_feeds.py"),
            "--dir",
            str(folder),
            "--port",
            "0",
            "--port-file",
            str(port_file),
            "--latency",
            "0.05",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if port_file.exists() and port_file.read_text().strip():
            return server, int(port_file.read_text())
        time.sleep(0.05)
    server.kill()
    raise RuntimeError("feed server did not start")


def _config(workdir: Path, urls: list[str], rules: Path) -> Path:
    feeds = "\n".join(f"  - {{url: '{u}', interval_s: 3600}}" for u in urls)
    path = workdir / "bench.yaml"
    path.write_text(
        f"database: {{url: 'sqlite:///{workdir}/bench.db'}}\n"
        f"rules: {{paths: ['{rules}']}}\n"
        "http: {per_host_concurrency: 20, total_concurrency: 20}\n"
        "polling: {batch_size: 200, parse_workers: 0}\n"
        "logging: {level: WARNING}\n"
        "enrichment: {enabled: false}\n"
        f"feeds:\n{feeds}\n"
    )
    return path


def one_run(template: Path, rules: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        workdir = Path(tmp)
        folder = workdir / "feeds"
        shutil.copytree(template, folder)
        server, port = _start_server(folder, workdir)
        try:
            urls = subprocess.run(
                [
                    sys.executable,
                    str(SHARED_BENCH / "gen_feeds.py"),
                    "urls",
                    "--out",
                    str(folder),
                    "--base",
                    f"http://127.0.0.1:{port}/",
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            settings = load_settings(_config(workdir, urls, rules), {})
            open_database(settings, upgrade=True).close()
            return asyncio.run(_cycles(settings, folder))
        finally:
            server.terminate()
            server.wait()


async def _cycles(settings: Settings, folder: Path) -> dict[str, float]:
    """One daemon's life: start once, then time each poll cycle (poll, process, deliver) as the daemon runs it."""
    figures: dict[str, float] = {}
    start = time.perf_counter()
    executor = parse_pool(settings.polling.parse_workers)
    try:
        async with pipeline.open_context(settings, executor) as context:
            pipeline.sync_feeds(context, T0)
            figures["startup"] = time.perf_counter() - start
            for name, day, tick in (("cold", 1, False), ("warm", 2, False), ("new5", 3, True)):
                if tick:
                    subprocess.run(
                        [
                            sys.executable,
                            str(SHARED_BENCH / "gen_feeds.py"),
                            "tick",
                            "--out",
                            str(folder),
                            "--add",
                            "5",
                        ],
                        check=True,
                        capture_output=True,
                    )
                now = T0 + timedelta(days=day)
                start = time.perf_counter()
                polled = (
                    await daemon_cycle(context, lambda now=now: now)
                ).polled  # what the daemon runs per tick
                figures[name] = time.perf_counter() - start
                figures[f"{name}_new"] = polled.new_articles
                figures[f"{name}_304"] = polled.not_modified
                figures[f"{name}_errors"] = polled.errors
            figures["workers_peak_mb"] = max((_peak_mb(pid) for pid in _children()), default=0.0)
    finally:
        if executor is not None:
            executor.shutdown()
    return figures


def _children() -> list[int]:
    """This process's live child processes (the parse workers and the feed server)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()) and "serve_feeds" not in _cmdline(
            status.parent
        ):
            found.append(int(status.parent.name))
    return found


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def _peak_mb(pid: int | str = "self") -> float:
    """The process's own peak RSS (VmHWM): ru_maxrss would carry a parent's peak across fork and exec."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument(
        "--rules",
        type=Path,
        default=REPO / "bench" / "keyword-rules",
        help="rule folder (default: keyword rules)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-template-") as tmp:
        template = Path(tmp) / "feeds"
        subprocess.run(
            [
                sys.executable,
                str(SHARED_BENCH / "gen_feeds.py"),
                "init",
                "--out",
                str(template),
                "--feeds",
                str(args.feeds),
                "--entries",
                str(args.entries),
            ],
            check=True,
            capture_output=True,
        )
        runs = []
        for index in range(args.runs):
            print(f"run {index + 1}/{args.runs} ...", file=sys.stderr, flush=True)
            runs.append(one_run(template, args.rules.resolve()))
    peak_self = _peak_mb()
    peak_workers = max(r["workers_peak_mb"] for r in runs)
    print(
        f"### Poll: {args.feeds} feeds x {args.entries} entries, 50 ms latency, median of {args.runs} runs\n"
    )
    print("| poll | wall s (median) | all runs | new articles | 304s | errors | reference (rss2email) |")
    print("|---|---|---|---|---|---|---|")
    reference = {"cold": "≈ 50 s", "warm": "≈ 11 s", "new5": "≈ 26 s"}
    label = {"cold": "cold (all new)", "warm": "warm (nothing new)", "new5": "5 new entries per feed"}
    startups = [r["startup"] for r in runs]
    print(
        f"| daemon start-up (rules, pool of parse workers, DB) | {statistics.median(startups):.2f} | "
        f"{', '.join(f'{w:.2f}' for w in startups)} | | | | |"
    )
    for name in ("cold", "warm", "new5"):
        walls = [r[name] for r in runs]
        print(
            f"| {label[name]} | {statistics.median(walls):.2f} | {', '.join(f'{w:.2f}' for w in walls)} | "
            f"{int(runs[-1][name + '_new'])} | {int(runs[-1][name + '_304'])} | {int(runs[-1][name + '_errors'])} "
            f"| {reference[name]} |"
        )
    print(
        f"\nPeak RSS (VmHWM): daemon process {peak_self:.0f} MB (all runs); largest parse worker {peak_workers:.0f} MB."
    )
    print(f"CPU cores: {os.cpu_count()}.")


if __name__ == "__main__":
    main()
