"""Alert benchmarks (issue 5), against a real SMTP server (aiosmtpd) on 127.0.0.1:

1. Latency: an article appears on a local feed polled every 5 s by the real daemon (``newsmon run`` in a
   subprocess, enrichment on, the bundled rules plus a keyword rule); measured until the mail is accepted
   by the SMTP server. The publishing moment is random relative to the poll, as in life. Target: p95 under
   6 s, i.e. no more than 1 s beyond the poll interval.
2. Throughput: N alerts queued in the outbox at once (one match per article, planned by the daemon's
   planner and saved as processing saves them), delivered by ``pipeline.drain_outbox`` (apprise
   ``mailto://``, one SMTP session per alert, ``delivery.batch_size`` at a time). Target: ≥ 100 alerts/s.

    .venv/bin/python bench/bench_alerts.py [--samples 20] [--alerts 1000] [--batch-sizes 50,200]

Prints a markdown table; ``bench/run_all.py`` can paste it into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor import alerting, pipeline, storage  # noqa: E402
from monitor.domain import Entry, FeedSource, FeedUpdate, Match  # noqa: E402
from monitor.pipeline.alerts import plan_alerts  # noqa: E402
from monitor.settings import load_settings  # noqa: E402
from tests.support.feed_server import FeedServer  # noqa: E402
from tests.support.smtp import ReceivedMail, SmtpReceiver  # noqa: E402

POLL_INTERVAL_S = 5
KEYWORD_RULE = """\
id: bench-keyword
title: Benchmark keyword
severity: high
match:
  word: {phrases: [zeppelin]}
"""


class TimedSmtp(SmtpReceiver):
    """An SmtpReceiver that notes when it accepted each mail (wall clock, as the publisher's)."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted_at: dict[str, float] = {}

    def _accept(self, mail: ReceivedMail) -> None:
        self.accepted_at[str(mail.message["Subject"])] = time.time()
        super()._accept(mail)


WORDS = [
    *("harbour", "market", "council", "river", "bridge", "festival", "orchestra", "library", "museum"),
    *("garden", "railway", "station", "tower", "school", "hospital", "factory", "harvest", "vineyard"),
    *("glacier", "island", "valley", "forest", "desert", "canyon", "meadow", "summit"),
]


def story_text(rng: random.Random) -> str:
    """Words in a new order each time: every article is its own story, not a copy of the last one."""
    return " ".join(rng.sample(WORDS, 12)) + "."


def feed(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><guid>{guid}</guid><link>https://bench.example/{guid}</link>"
        f"<description>{text}</description></item>"
        for guid, title, text in reversed(items)
    )
    return f'<rss version="2.0"><channel><title>Bench</title>{body}</channel></rss>'.encode()


def latency(samples: int) -> list[float]:
    """Seconds from publishing an article to the mail being accepted, ``samples`` times."""
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-alerts-") as tmp, FeedServer() as server:
        workdir = Path(tmp)
        smtp = TimedSmtp()
        smtp.start()
        (workdir / "rules").mkdir()
        (workdir / "rules" / "keyword.yaml").write_text(KEYWORD_RULE)
        items: list[tuple[str, str, str]] = []
        rng = random.Random(5)
        url = server.route("/bench.xml", body=feed(items))
        config = workdir / "bench.yaml"
        config.write_text(
            f"database: {{url: 'sqlite:///{workdir}/bench.db'}}\n"
            f"rules: {{paths: [rules, '{REPO / 'rules'}']}}\n"
            "polling: {tick_s: 0.25, parse_workers: 1, jitter_fraction: 0}\n"
            "delivery: {tick_s: 0.25}\n"
            "logging: {level: WARNING}\n"
            f"feeds:\n  - {{url: '{url}', interval_s: {POLL_INTERVAL_S}}}\n"
            f"subscribers:\n  - {{name: bench, urls: ['{smtp.url()}']}}\n"
        )
        base = [sys.executable, "-m", "monitor", "--config", str(config)]
        subprocess.run([*base, "db", "upgrade"], check=True, capture_output=True)
        daemon = subprocess.Popen([*base, "run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(8)  # start-up (spaCy) and the first poll of the empty feed
            results = []
            for n in range(samples):
                time.sleep(rng.uniform(0, POLL_INTERVAL_S))  # any phase of the poll cycle
                title = f"Zeppelin sighting number {n}"
                items.append((f"z{n}", title, story_text(rng)))
                published = time.time()
                server.route("/bench.xml", body=feed(items))
                smtp.wait_for(n + 1, timeout_s=60)
                subject = next(s for s in smtp.accepted_at if title in s)
                results.append(smtp.accepted_at[subject] - published)
                print(f"  sample {n + 1}/{samples}: {results[-1]:.2f} s", file=sys.stderr, flush=True)
            return results
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=30)
            smtp.stop()


def throughput(alerts: int, batch_size: int) -> tuple[float, int]:
    """(alerts per second, mails accepted) draining ``alerts`` queued alerts to the SMTP server."""
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-outbox-") as tmp:
        workdir = Path(tmp)
        (workdir / "rules").mkdir()
        smtp = TimedSmtp()
        smtp.start()
        config = workdir / "bench.yaml"
        config.write_text(
            f"database: {{url: 'sqlite:///{workdir}/bench.db'}}\n"
            "rules: {paths: [rules]}\n"
            "enrichment: {enabled: false}\n"
            f"delivery: {{batch_size: {batch_size}}}\n"
            "logging: {level: WARNING}\n"
            f"subscribers:\n  - {{name: bench, urls: ['{smtp.url()}']}}\n"
        )
        settings = load_settings(config, {})
        pipeline.open_database(settings, upgrade=True).close()
        try:
            return asyncio.run(_drain(settings, smtp, alerts))
        finally:
            smtp.stop()


async def _drain(settings: object, smtp: TimedSmtp, count: int) -> tuple[float, int]:
    now = datetime.now(UTC)
    async with pipeline.open_context(settings, None) as context:  # type: ignore[arg-type]
        db = context.db
        source = storage.add_feed(db, FeedSource("https://bench.example/feed.xml", "Bench", 600), now)
        assert source.id is not None
        update = FeedUpdate(source.id, now, now, http_status=200)
        entries = [Entry(identity=f"e{n}", title=f"Article {n}") for n in range(count)]
        ids = storage.save_poll(db, update, entries, now)
        # queued the way the daemon queues them: a match per article, planned by the live planner
        articles = storage.get_articles(db, ids)
        items = [
            alerting.BatchItem(articles[article_id], [_match(article_id, n)])
            for n, article_id in enumerate(ids)
        ]
        planned = plan_alerts(context, items, now)
        storage.save_processed(
            db,
            now,
            [
                storage.ProcessedArticle(item.article.id, matches=list(item.matches), alert_events=events)
                for item, events in zip(items, planned, strict=True)
            ],
        )
        started = time.perf_counter()
        report = await pipeline.drain_outbox(context, now)
        elapsed = time.perf_counter() - started
    deadline = time.monotonic() + 10
    while len(smtp.received) < report.sent and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    return report.sent / elapsed, len(smtp.received)


def _match(article_id: int, n: int) -> Match:
    return Match(
        rule_id="bench",
        rule_title="Benchmark alert",
        article_id=article_id,
        key=f"key {n}",
        severity="high",
        tags=(),
        captures={"matched": f"Alert {n}"},
        spans=(),
        explanation=("bench",),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--batch-sizes", default="50,200", help="delivery.batch_size values to measure")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()

    print("### Alerts: feed → SMTP latency and outbox throughput (local aiosmtpd)\n")
    if not args.skip_latency:
        print(f"latency: {args.samples} samples, poll interval {POLL_INTERVAL_S} s ...", file=sys.stderr)
        waits = sorted(latency(args.samples))
        p50 = statistics.median(waits)
        p95 = waits[min(len(waits) - 1, round(0.95 * (len(waits) - 1)))]
        print(f"| article on the feed → mail accepted ({POLL_INTERVAL_S} s poll) | value | target |")
        print("|---|---|---|")
        print(f"| p50 | {p50:.2f} s | |")
        print(f"| p95 | {p95:.2f} s | < 6 s |")
        print(f"| max | {waits[-1]:.2f} s | |\n")
    print(f"| outbox → SMTP, {args.alerts} alerts | alerts/s | mails accepted | target |")
    print("|---|---|---|---|")
    for size in (int(s) for s in args.batch_sizes.split(",")):
        rate, accepted = throughput(args.alerts, size)
        print(f"| delivery.batch_size {size} | {rate:.0f} | {accepted} | ≥ 100/s |")


if __name__ == "__main__":
    main()
