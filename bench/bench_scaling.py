"""1 → 2 daemons on one PostgreSQL (issue 12): does a second daemon speed up a cold poll with enrichment on?

The shared workload (../shared/bench: ``--feeds`` × ``--entries`` new articles, 50 ms latency), the bundled
rules with enrichment on (what ``make run`` ships), a fresh PostgreSQL database per run. N ``newsmon run``
daemons start together; the clock runs from their start until every article of the workload is stored and
processed (read from the database every half second), then they get SIGTERM. Start-up (the model load)
is inside the figure, as a user would see it. Runs alternate 1, 2, 1, 2 … so load on the shared machine
hits both alike; the table gives each run and the median ratio.

    .venv/bin/python bench/bench_scaling.py [--feeds 40] [--entries 50] [--reps 2]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=40)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--reps", type=int, default=2, help="runs of each daemon count (alternating)")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = work / "template"
        subprocess.run(
            [sys.executable, SHARED_BENCH / "gen_feeds.py", "init", "--out", template, "--feeds", str(args.feeds),
             "--entries", str(args.entries)],
            check=True, capture_output=True,
        )  # fmt: skip
        rows = []
        for rep in range(args.reps):
            for daemons in (1, 2):
                seconds, cpu = one_run(work / f"run-{rep}-{daemons}", template, daemons, args)
                load = os.getloadavg()[0]
                rows.append((daemons, seconds, cpu, load))
                print(f"run {rep + 1}: {daemons} daemon(s): {seconds:.1f} s wall, {cpu:.1f} s CPU, load {load:.1f}",
                      flush=True)  # fmt: skip
    total = args.feeds * args.entries
    print("\n| daemons | articles | wall s (runs) | median wall s | articles/s | CPU s (median) |")
    print("|---|---|---|---|---|---|")
    medians = {}
    for daemons in (1, 2):
        walls = [r[1] for r in rows if r[0] == daemons]
        cpus = [r[2] for r in rows if r[0] == daemons]
        medians[daemons] = statistics.median(walls)
        print(
            f"| {daemons} | {total} | {', '.join(f'{w:.1f}' for w in walls)} | {medians[daemons]:.1f} | "
            f"{total / medians[daemons]:.1f} | {statistics.median(cpus):.1f} |"
        )
    print(
        f"\nspeed-up 1 → 2 daemons: {medians[1] / medians[2]:.2f}x (target >= 1.7x); cores: {os.cpu_count()}"
    )


def one_run(folder: Path, template: Path, daemons: int, args: argparse.Namespace) -> tuple[float, float]:
    """Wall seconds until every article is stored and processed, and the CPU seconds the daemons used."""
    feeds = folder / "feeds"
    shutil.copytree(template, feeds)
    port_file = folder / "port"
    server = subprocess.Popen(
        [sys.executable, SHARED_BENCH / "serve_feeds.py", "--dir", feeds, "--port", "0", "--port-file", port_file,
         "--latency", "0.05"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"newsmon_bench_scaling_{random.randrange(10**6)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        while not port_file.exists() or not port_file.read_text().strip():
            time.sleep(0.1)
        base = f"http://127.0.0.1:{port_file.read_text().strip()}/"
        urls = subprocess.run(
            [sys.executable, SHARED_BENCH / "gen_feeds.py", "urls", "--out", feeds, "--base", base],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        config = folder / "newsmon.yaml"
        config.write_text(
            f"database: {{url: '{url}'}}\nrules: {{paths: ['{REPO / 'rules'}']}}\nenrichment: {{enabled: true}}\n"
            "logging: {level: WARNING}\nhttp: {per_host_concurrency: 20, total_concurrency: 20}\nfeeds:\n"
            + "".join(f"  - {{url: '{u}', interval_s: 3600}}\n" for u in urls)
        )
        command = [str(REPO / ".venv" / "bin" / "newsmon"), "--config", str(config)]
        subprocess.run([*command, "db", "upgrade"], check=True, capture_output=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        logs = [(folder / f"daemon-{n}.log").open("w") for n in range(daemons)]
        procs = [subprocess.Popen([*command, "run"], stdout=log, stderr=subprocess.STDOUT) for log in logs]
        expected = len(urls) * args.entries
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        try:
            while True:
                with engine.connect() as conn:
                    stored, done = conn.execute(
                        sa.text("SELECT count(*), count(processed_at) FROM articles")
                    ).one()
                if stored >= expected and done >= stored:
                    break
                if time.monotonic() - started > args.timeout:
                    raise SystemExit(f"timed out: {done}/{stored} of {expected} processed")
                if any(p.poll() is not None for p in procs):
                    raise SystemExit(f"a daemon exited early; see {folder}")
                time.sleep(0.5)
            seconds = time.monotonic() - started
        finally:
            engine.dispose()
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=120)
            for log in logs:
                log.close()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return seconds, cpu
    finally:
        server.terminate()
        server.wait(timeout=10)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
