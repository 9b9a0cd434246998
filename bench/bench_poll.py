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
import resource
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
    finally:
        if executor is not None:
            executor.shutdown()
    return figures


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
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
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
        f"\nPeak RSS: daemon process {peak_self:.0f} MB; largest parse worker / child {peak_children:.0f} MB."
    )
    print(f"CPU cores: {os.cpu_count()}.")


if __name__ == "__main__":
    main()
