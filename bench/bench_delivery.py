"""Delivery benchmark (issue 12): article stored → alert delivered, with the daemon idle, on each database.

The real daemon (``newsmon run`` in a subprocess; enrichment off, or on with the bundled rules
beside the bench rule with ``--enrich``) polls a local feed every 5 s; an item is
published at a random moment; the latency runs from the article's ``fetched_at`` (written with the article,
so a little before it is stored: the figure errs high) to the moment the webhook receiver got the POST.
Wake-ups (LISTEN/NOTIFY, in-process on SQLite) should make it independent of ``polling.tick_s`` and
``delivery.tick_s`` (both 5 s here, so without wake-ups the p95 would be seconds). Target: p95 < 1 s.

    .venv/bin/python bench/bench_delivery.py [--samples 10] [--engines sqlite,postgres]
"""

from __future__ import annotations

import argparse
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.feed_server import FeedServer  # noqa: E402
from tests.support.webhook import WebhookReceiver  # noqa: E402

POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
RULE = "id: volcano\ntitle: Volcano\nseverity: high\nmatch:\n  word: {phrases: [volcano]}\n"


def feed(items: list[int]) -> bytes:
    entries = "".join(
        f"<item><title>Volcano {n} erupts</title><guid>v{n}</guid><link>https://x.example/{n}</link></item>"
        for n in reversed(items)
    )
    return f'<rss version="2.0"><channel><title>Live</title>{entries}</channel></rss>'.encode()


def measure(url: str, samples: int, workdir: Path, enrich: bool) -> list[float]:
    with FeedServer() as server, WebhookReceiver() as hook:
        items: list[int] = []
        feed_url = server.route("/live.xml", body=feed(items))
        (workdir / "rules").mkdir(exist_ok=True)
        (workdir / "rules" / "volcano.yaml").write_text(RULE)
        config = workdir / "newsmon.yaml"
        bundled = f", '{REPO / 'rules'}'" if enrich else ""  # the shipped rules beside the bench's own
        config.write_text(
            f"database: {{url: '{url}'}}\nrules: {{paths: [rules{bundled}]}}\nenrichment: {{enabled: {str(enrich).lower()}}}\n"
            "polling: {tick_s: 5, parse_workers: 1, jitter_fraction: 0}\ndelivery: {tick_s: 5}\n"
            f"feeds:\n  - {{url: '{feed_url}', interval_s: 5}}\n"
            f"subscribers:\n  - {{name: ops, urls: ['{hook.url()}']}}\n"
        )
        base = [sys.executable, "-m", "monitor", "--config", str(config)]
        subprocess.run([*base, "db", "upgrade"], check=True, capture_output=True)
        with (workdir / "daemon.log").open("w") as log:
            daemon = subprocess.Popen([*base, "run"], stdout=log, stderr=subprocess.STDOUT)
        try:
            while "daemon started" not in (workdir / "daemon.log").read_text():
                time.sleep(0.2)
            latencies = []
            for n in range(samples):
                time.sleep(random.uniform(1.0, 5.0))
                items.append(n)
                server.route("/live.xml", body=feed(items))
                hook.wait_for(n + 1, timeout_s=30)
                received = datetime.now(UTC)
                latencies.append((received - fetched_at(url, n)).total_seconds())
            return latencies
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=30)


def fetched_at(url: str, n: int) -> datetime:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            value = conn.execute(
                sa.text("SELECT fetched_at FROM articles WHERE guid = :guid"), {"guid": f"v{n}"}
            ).scalar_one()
    finally:
        engine.dispose()
    if isinstance(value, str):  # SQLite through plain SQL
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--enrich", action="store_true", help="Enrichment on (the shipped default).")
    args = parser.parse_args()
    print(f"enrichment {'on' if args.enrich else 'off'}")
    print("| engine | samples | p50 s | p95 s | max s |\n|---|---|---|---|---|")
    for engine in args.engines.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            if engine == "sqlite":
                latencies = measure(f"sqlite:///{workdir / 'bench.db'}", args.samples, workdir, args.enrich)
            else:
                admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
                name = f"newsmon_bench_delivery_{random.randrange(10**6)}"
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
                try:
                    url = admin.url.set(database=name).render_as_string(hide_password=False)
                    latencies = measure(url, args.samples, workdir, args.enrich)
                finally:
                    with admin.connect() as conn:
                        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    admin.dispose()
        ordered = sorted(latencies)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"| {engine} | {len(ordered)} | {statistics.median(ordered):.2f} | {p95:.2f} | {ordered[-1]:.2f} |"
        )


if __name__ == "__main__":
    main()
