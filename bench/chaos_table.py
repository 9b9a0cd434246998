"""Issue 12's table at its original sizes: real daemons, real receivers, SIGKILLs — every alert counted from
the receiver's log (expected / delivered / duplicates / lost). The same scenarios as tests/e2e/test_chaos.py
(tests/support/chaos.py), bigger; 15–25 minutes on the shared 2-core VM. Needs the local PostgreSQL.

    .venv/bin/python bench/chaos_table.py [--quick] [--only 1,4] [--write]

``--write`` puts the table into docs/benchmarks.md (its own section, above bench/run_all.py's raw figures),
replacing the previous one. ``--quick`` runs the test sizes. Not in CI: minutes, and a loaded machine
changes the counts (the faults are races; the seeds fix what the chaos does, not when the machine does it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

from tests.support import chaos  # noqa: E402
from tests.support.smtp import SmtpReceiver  # noqa: E402
from tests.support.webhook import WebhookReceiver  # noqa: E402

DOC = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/chaos_table.py: begin -->", "<!-- bench/chaos_table.py: end -->"
RUN_ALL_MARKER = "<!-- bench/run_all.py writes below this line"
ADMIN_URL = os.environ.get(
    "NEWSMON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
GRACE_S = 30


METHOD = """\
How (tests/support/chaos.py; the CI-sized cases are tests/e2e/test_chaos.py):
- Real `newsmon run` subprocesses on one config and database, enrichment off (each article its own story),
  `polling.tick_s` and `delivery.tick_s` 1 s, feeds every 5 s, `parse_workers: 1`. Alerts go to a webhook
  receiver (apprise `json://`, logged on arrival) or an aiosmtpd relay (logged when it answers 250).
- Identity of an alert: rule + article link; for the code-name row rule + key (one new-term and one state
  alert per code name). *Lost* = expected but never received; *late* (SIGKILL rows) = first received more
  than 30 s (the grace period issue 12 asks for) after the last kill or restart. An outbox row still
  pending at the end was sent by a killed daemon and never recorded: it will be sent again.
- A restarted daemon is given time to start before the next kill is drawn (a daemon killed while still
  importing tests nothing).
- Settings beyond the defaults: row 2 `workers.grace_s: 20` (was `delivery.lease_s: 20` before owned leases); row 3 `polling.batch_size: 5`,
  `polling.jitter_fraction: 0`, three waves of 6 new names a poll apart; row 4
  `polling.batch_size: 10`, `delivery.batch_size: 10`, receiver 1 s, kills 10–20 s apart (seed 12); row 5
  `workers.grace_s` 10 (was the two `lease_s` settings), `delivery.batch_size: 10`, one mail at a time, kills 3–6 s
  apart (seed 5), each followed by a restart; row 6 `delivery.timeout_s: 5`, `delivery.backoff_base_s: 1`,
  relay 8 s, watched 45 s after the first mail.
"""


@dataclass(frozen=True)
class Row:
    situation: str
    engine: str  # "sqlite" or "postgres"
    run: Callable[[Path, str, bool], chaos.RowResult]  # (workdir, database url, quick)


def slow_receiver(daemons: int, lease_s: int | None) -> Callable[[Path, str, bool], chaos.RowResult]:
    def run(workdir: Path, url: str, quick: bool) -> chaos.RowResult:
        delivery: dict[str, object] = {"batch_size": 10} if quick else {}
        workers: dict[str, object] = {"grace_s": 10, "heartbeat_s": 2} if quick else {}
        if lease_s is not None and not quick:
            workers = {"grace_s": lease_s, "heartbeat_s": min(5, lease_s / 2)}
        with WebhookReceiver() as hook:
            hook.delay_s = 1.5
            return chaos.flood(
                f"{daemons} daemon(s), slow receiver",
                workdir,
                url,
                hook,
                daemons=daemons,
                alerts=100 if quick else 1370,
                settings={"delivery": delivery, "workers": workers},
                timeout_s=75 if quick else 600,
            )

    return run


def same_codes(workdir: Path, url: str, quick: bool) -> chaos.RowResult:
    with WebhookReceiver() as hook:
        return chaos.same_codes(
            workdir,
            url,
            hook,
            daemons=3,
            feeds=30,
            codes=4 if quick else 6,
            waves=3,
            settings={"polling": {"batch_size": 5, "jitter_fraction": 0}},
            timeout_s=45 if quick else 90,
        )


def kills_and_restarts(workdir: Path, url: str, quick: bool) -> chaos.RowResult:
    with WebhookReceiver() as hook:
        hook.delay_s = 1.0  # deliveries in flight most of the time: a kill strands some
        return chaos.ticking_with_kills(
            "three daemons, SIGKILLs and restarts",
            workdir,
            url,
            hook,
            daemons=3,
            feeds=6 if quick else 30,
            alerts=60 if quick else 410,
            kills=3,
            restarts=2,
            gap_s=(4, 8) if quick else (10, 20),
            seed=12,
            settings={"polling": {"batch_size": 2 if quick else 10}, "delivery": {"batch_size": 10}},
            grace_s=GRACE_S,
        )


def relay_kills(workdir: Path, url: str, quick: bool) -> chaos.RowResult:
    relay = SmtpReceiver()
    relay.delay_s, relay.one_at_a_time = 0.3, True
    with relay:
        return chaos.ticking_with_kills(
            "one daemon on SQLite, slow relay, SIGKILLs",
            workdir,
            url,
            relay,
            daemons=1,
            feeds=2,
            alerts=60 if quick else 100,
            kills=4 if quick else 10,
            restarts=4 if quick else 10,
            gap_s=(3, 6),
            seed=5,
            settings={"delivery": {"batch_size": 10}, "workers": {"grace_s": 10, "heartbeat_s": 2}},
            grace_s=GRACE_S,
        )


def relay_timeout(workdir: Path, url: str, quick: bool) -> chaos.RowResult:
    relay = SmtpReceiver()
    relay.delay_s = 4.0 if quick else 8.0
    with relay:
        return chaos.slow_relay_timeout(
            workdir,
            url,
            relay,
            settings={"delivery": {"timeout_s": 2 if quick else 5, "backoff_base_s": 1}},
            watch_s=15 if quick else 45,
        )


ROWS = [
    Row("one daemon, default settings, receiver answers in 1.5 s", "sqlite", slow_receiver(1, None)),
    Row("two daemons on PostgreSQL, same, grace (lease) 20 s", "postgres", slow_receiver(2, 20)),
    Row("three daemons, 30 feeds publish the same new code names at once", "postgres", same_codes),
    Row("three daemons on PostgreSQL, three SIGKILLs and two restarts", "postgres", kills_and_restarts),
    Row("one daemon, SQLite, relay 0.3 s per mail, random SIGKILLs", "sqlite", relay_kills),
    Row("one daemon, relay slower than `delivery.timeout_s`", "sqlite", relay_timeout),
]


@contextlib.contextmanager
def database(engine: str, workdir: Path) -> Iterator[str]:
    """A fresh database: a file under ``workdir``, or a new PostgreSQL database dropped afterwards."""
    if engine == "sqlite":
        yield f"sqlite:///{workdir / 'newsmon.db'}"
        return
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"newsmon_chaos_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def table(results: list[tuple[Row, chaos.RowResult]]) -> str:
    lines = [
        "| situation | db | expected | delivered | duplicates | of them with a new key | lost | late (> grace) "
        "| outbox at the end | notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row, result in results:
        t = result.tally
        notes = [f"{result.seconds:.0f} s"]
        if result.recovered_s is not None:
            notes.append(f"all in {result.recovered_s:.0f} s after the last kill")
        kills = sum(event.action == "kill" for event in result.chaos)
        if kills:
            notes.append(f"{kills} SIGKILLs")
        if result.crashes:
            notes.append(f"{len(result.crashes)} daemon(s) died on their own")
        if t.unexpected:
            notes.append(f"{t.unexpected} unexpected")
        late = "—" if not result.chaos else f"**{result.late}**"
        outbox = ", ".join(f"{n} {status}" for status, n in sorted(result.outbox.items()))
        lines.append(
            f"| {row.situation} | {row.engine} | {t.expected} | {t.delivered} | **{t.duplicates}** | "
            f"**{t.new_key_repeats}** | **{t.lost}** | {late} | {outbox} | {'; '.join(notes)} |"
        )
    return "\n".join(lines)


def write_section(text: str) -> None:
    doc = DOC.read_text()
    section = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in doc:
        head, rest = doc.split(BEGIN, 1)
        doc = head + section + rest.split(END, 1)[1]
    else:
        head, marker, tail = doc.partition(RUN_ALL_MARKER)
        doc = head + section + "\n\n" + marker + tail
    DOC.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the CI test sizes")
    parser.add_argument("--only", help="comma-separated row numbers (1-6)")
    parser.add_argument("--write", action="store_true", help="put the table into docs/benchmarks.md")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    chosen = [int(n) for n in args.only.split(",")] if args.only else range(1, len(ROWS) + 1)
    results = []
    for number in chosen:
        row = ROWS[number - 1]
        print(f"== {number}. {row.situation}", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="chaos-") as tmp, database(row.engine, Path(tmp)) as url:
            result = row.run(Path(tmp), url, args.quick)
        print(f"   {result.summary()}", file=sys.stderr, flush=True)
        results.append((row, result))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    text = (
        f"## Exactly once under chaos (issue 12)\n\n`python bench/chaos_table.py{' --quick' if args.quick else ''}`"
        f" on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or 'unknown'}, "
        f"load average {load:.2f} at start. Counted from the receiver's log; "
        f"duplicates and lost must both be 0.\n\n{table(results)}\n\n{METHOD}"
    )
    print(text)
    if args.write:
        write_section(text)
        print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    # SIGTERM (or a SIGINT that a background shell ignores) must still stop the daemons: exit through the
    # context managers, which SIGTERM every daemon of the row in hand
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"stopped by signal {signum}"))
    started = time.monotonic()
    main()
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
