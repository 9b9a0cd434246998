"""The chaos scenarios of issue 12, shared by tests/e2e/test_chaos.py (small, in CI) and
bench/chaos_table.py (the issue's full sizes, by hand): real daemons (``DaemonFleet``), real feeds
(``FeedServer``), a real webhook receiver or SMTP relay, and the receiver's log as the judge (``Tally``).

Every scenario writes its own rules, feeds and config under ``workdir``, runs, stops every daemon, and
returns a ``RowResult``: the tally, the outbox's statuses at the end, daemons that died on their own, the
chaos events and how long the run took. Sizes and settings are parameters, so a test and the benchmark run
the same code. Enrichment is off (no spaCy: a daemon starts in seconds); each article is then its own
story, so "one alert per article" is what the pipeline promises for the ``zeppelin`` rule, and "one alert
per key" for ``code-new`` (a new term) and ``code-state`` (a state change).

Settings used are today's keys only (``polling.*``, ``delivery.*``); pass ``settings`` to add others.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Hashable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import sqlalchemy as sa

from tests.support.alert_tally import Delivered, Tally, read_mails, read_posts
from tests.support.daemons import ChaosEvent, ChaosMonkey, Crash, DaemonFleet
from tests.support.feed_server import FeedServer
from tests.support.smtp import SmtpReceiver
from tests.support.webhook import WebhookReceiver

Receiver = WebhookReceiver | SmtpReceiver
Settings = Mapping[str, Mapping[str, Any]]
FEED_INTERVAL_S = 5  # the shortest interval a feed may have

RULES = {
    "zeppelin.yaml": "id: zeppelin\ntitle: zeppelin\nmatch:\n  word: {phrases: [zeppelin]}\n",
    "code-new.yaml": (
        "id: code-new\ntitle: code-new\nkey: '{code}'\n"
        "match:\n  project: {regex: 'project\\s+(?P<code>(?-i:[A-Z]{2}\\d{2}))'}\n"
        "new_term: {field: code}\n"
    ),
    "code-state.yaml": (
        "id: code-state\ntitle: code-state\ntype: state\nkey: '{code}'\n"
        "match:\n  project: {regex: 'project\\s+(?P<code>(?-i:[A-Z]{2}\\d{2}))'}\n"
        "states:\n  planned: [planned]\n  launched: [launched]\n"
    ),
}
BASE_SETTINGS: dict[str, dict[str, Any]] = {
    "rules": {"paths": ["rules"]},
    "enrichment": {"enabled": False},
    "source_health": {"enabled": False},
    "polling": {"tick_s": 1, "parse_workers": 1},
    "delivery": {"tick_s": 1},
}


@dataclass
class RowResult:
    name: str
    tally: Tally
    outbox: dict[str, int]  # outbox rows by status at the end
    crashes: list[Crash]
    chaos: list[ChaosEvent] = field(default_factory=list)
    seconds: float = 0.0
    recovered_s: float | None = None  # last chaos event → last expected alert's first arrival
    late: int = 0  # expected alerts first received more than the grace period after the last chaos event

    def summary(self) -> str:
        text = f"{self.name}: {self.tally}; outbox {self.outbox}; {self.seconds:.0f} s"
        if self.recovered_s is not None:
            text += f"; all in {self.recovered_s:.1f} s after the last kill/restart"
        if self.late:
            text += f"; {self.late} arrived later than the grace period"
        if self.crashes:
            text += f"; {len(self.crashes)} daemon(s) died on their own: {[c.log_tail[-300:] for c in self.crashes]}"
        return text


# --- the scenarios ---------------------------------------------------------------------------------------


def flood(
    name: str,
    workdir: Path,
    database_url: str,
    receiver: Receiver,
    *,
    daemons: int,
    alerts: int,
    settings: Settings,
    timeout_s: float,
    settle_s: float = 3.0,
) -> RowResult:
    """``alerts`` articles that each alert once, all on the feeds from the start; ``daemons`` daemons
    deliver them through ``receiver`` (make it slow to outpace the batch rhythm)."""
    with FeedServer() as server:
        links = [f"https://chaos.invalid/z/{n}" for n in range(alerts)]
        feeds = [
            server.route(f"/z{i}.xml", body=rss(zeppelins(links[i : i + 100]))) for i in range(0, alerts, 100)
        ]
        expected = {("zeppelin", link) for link in links}
        return _run(
            name, workdir, database_url, receiver, feeds, daemons, settings, expected, timeout_s, settle_s
        )


def same_codes(
    workdir: Path,
    database_url: str,
    receiver: Receiver,
    *,
    daemons: int,
    feeds: int,
    codes: int,
    waves: int = 1,
    settings: Settings,
    timeout_s: float,
    settle_s: float = 3.0,
) -> RowResult:
    """``feeds`` feeds publish the same ``codes`` new code names at once, once the daemons run, and again
    with new names ``waves`` times one poll interval apart (each wave another chance for the race); the
    new-term rule and the state rule must alert once per code name (identity: rule + key)."""
    names = [f"{chr(65 + n // 10 % 26)}{chr(75 + n % 10)}{n % 100:02d}" for n in range(codes * waves)]
    with FeedServer() as server:
        urls = [server.route(f"/c{i}.xml", body=rss([])) for i in range(feeds)]
        expected = {(rule, code) for code in names for rule in ("code-new", "code-state")}

        def publish() -> None:
            for wave in range(waves):
                if wave:
                    time.sleep(FEED_INTERVAL_S + 1)
                for i in range(feeds):
                    items = [
                        (f"Project {code} launched, feed {i} reports", f"https://chaos.invalid/c{i}/{code}")
                        for code in names[: (wave + 1) * codes]
                    ]
                    server.route(f"/c{i}.xml", body=rss(items))

        return _run(
            "same code names",
            workdir,
            database_url,
            receiver,
            urls,
            daemons,
            settings,
            expected,
            timeout_s,
            settle_s,
            identity=lambda d: (d.rule, d.key),
            once_started=publish,
        )


def ticking_with_kills(
    name: str,
    workdir: Path,
    database_url: str,
    receiver: Receiver,
    *,
    daemons: int,
    feeds: int,
    alerts: int,
    kills: int,
    restarts: int,
    gap_s: tuple[float, float],
    seed: int,
    settings: Settings,
    grace_s: float,
    settle_s: float = 3.0,
) -> RowResult:
    """Feeds keep publishing (``alerts`` articles spread over the chaos) while a seeded ``ChaosMonkey``
    SIGKILLs daemons (and restarts some). After the last kill/restart everything expected must arrive
    within ``grace_s``: what arrives later (while the daemons stop) is counted ``late``, what never
    arrives ``lost``."""
    links = [f"https://chaos.invalid/t{n % feeds}/{n}" for n in range(alerts)]
    expected = {("zeppelin", link) for link in links}
    with FeedServer() as server:
        published: dict[int, list[str]] = {i: [] for i in range(feeds)}
        urls = [server.route(f"/t{i}.xml", body=rss([])) for i in range(feeds)]
        config = write_config(workdir, database_url, receiver, urls, settings)
        started = time.monotonic()
        with DaemonFleet(config, daemons, workdir) as fleet:
            fleet.upgrade()
            fleet.start_all()
            fleet.wait_started()
            monkey = ChaosMonkey(fleet, seed)
            chaos = threading.Thread(target=monkey.run, args=(kills, restarts, gap_s), daemon=True)
            chaos.start()
            pause = (sum(gap_s) / 2 * kills) / max(1, alerts)  # spread publishing over the chaos
            for n, link in enumerate(links):
                published[n % feeds].append(link)
                server.route(f"/t{n % feeds}.xml", body=rss(zeppelins(published[n % feeds])))
                time.sleep(pause)
            chaos.join()
            calm = time.monotonic()
            _wait_for(receiver, expected, _rule_link, grace_s)
            time.sleep(settle_s)
            fleet.stop_all()
            result = _result(name, receiver, expected, _rule_link, database_url, fleet, started)
    result.chaos = monkey.events
    firsts = _first_arrivals(receiver, expected, _rule_link)
    calm_wall = calm + time.time() - time.monotonic()
    result.late = sum(at > calm_wall + grace_s for at in firsts.values())
    if len(firsts) == len(expected):
        result.recovered_s = max(0.0, max(firsts.values()) - calm_wall)
    return result


def slow_relay_timeout(
    workdir: Path, database_url: str, relay: SmtpReceiver, *, settings: Settings, watch_s: float
) -> RowResult:
    """One alert through a relay slower than ``delivery.timeout_s``: exactly one mail must arrive in
    ``watch_s`` seconds after the first, and the outbox must say sent."""
    with FeedServer() as server:
        link = "https://chaos.invalid/slow/1"
        url = server.route("/slow.xml", body=rss(zeppelins([link])))
        return _run(
            "relay slower than delivery.timeout_s",
            workdir,
            database_url,
            relay,
            [url],
            1,
            settings,
            {("zeppelin", link)},
            timeout_s=60,
            settle_s=watch_s,
        )


# --- building blocks -------------------------------------------------------------------------------------


def zeppelins(links: Sequence[str]) -> list[tuple[str, str]]:
    return [(f"Zeppelin sighted over the bay, report {link.rsplit('/', 1)[1]}", link) for link in links]


def rss(items: Sequence[tuple[str, str]]) -> bytes:
    """An RSS 2.0 feed of (title, link) items; the link is the guid."""
    body = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<description>{escape(title)}.</description></item>"
        for title, link in items
    )
    return f'<rss version="2.0"><channel><title>Chaos</title>{body}</channel></rss>'.encode()


def write_config(
    workdir: Path, database_url: str, receiver: Receiver, feed_urls: Sequence[str], settings: Settings
) -> Path:
    """The rules and a config (JSON is YAML) naming the database, the feeds and one text subscriber."""
    rules = workdir / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    for filename, text in RULES.items():
        (rules / filename).write_text(text)
    config: dict[str, Any] = {section: dict(values) for section, values in BASE_SETTINGS.items()}
    for section, values in settings.items():
        config.setdefault(section, {}).update(values)
    config["database"] = {"url": database_url}
    config["feeds"] = [{"url": url, "interval_s": FEED_INTERVAL_S} for url in feed_urls]
    config["subscribers"] = [{"name": "judge", "urls": [receiver.url()], "format": "text"}]
    path = workdir / "newsmon.yaml"
    path.write_text(json.dumps(config, indent=1))
    return path


def delivered(receiver: Receiver) -> list[Delivered]:
    if isinstance(receiver, WebhookReceiver):
        return read_posts(receiver.posts)
    return read_mails(receiver.received)


def outbox_statuses(database_url: str) -> dict[str, int]:
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT status, count(*) FROM outbox GROUP BY status"))
            return {str(status): int(count) for status, count in rows}
    finally:
        engine.dispose()


Identity = Callable[[Delivered], Hashable]


def _rule_link(d: Delivered) -> Hashable:
    return (d.rule, d.link)


def _run(
    name: str,
    workdir: Path,
    database_url: str,
    receiver: Receiver,
    feed_urls: Sequence[str],
    daemons: int,
    settings: Settings,
    expected: Set[Hashable],
    timeout_s: float,
    settle_s: float,
    identity: Identity = _rule_link,
    once_started: Callable[[], None] | None = None,
) -> RowResult:
    """Start ``daemons`` at once, (publish), wait until every expected alert arrived or ``timeout_s``
    passed, watch ``settle_s`` more for late duplicates, stop the daemons cleanly and tally."""
    config = write_config(workdir, database_url, receiver, feed_urls, settings)
    started = time.monotonic()
    with DaemonFleet(config, daemons, workdir) as fleet:
        fleet.upgrade()
        fleet.start_all()
        if once_started is not None:
            fleet.wait_started()
            once_started()
        _wait_for(receiver, expected, identity, timeout_s)
        time.sleep(settle_s)
        fleet.stop_all()
        return _result(name, receiver, expected, identity, database_url, fleet, started)


def _wait_for(receiver: Receiver, expected: Set[Hashable], identity: Identity, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if expected <= {identity(d) for d in delivered(receiver)}:
            return
        time.sleep(0.25)


def _first_arrivals(receiver: Receiver, expected: Set[Hashable], identity: Identity) -> dict[Hashable, float]:
    firsts: dict[Hashable, float] = {}
    for d in delivered(receiver):
        if identity(d) in expected:
            firsts.setdefault(identity(d), d.received_at)
    return firsts


def _result(
    name: str,
    receiver: Receiver,
    expected: Set[Hashable],
    identity: Identity,
    database_url: str,
    fleet: DaemonFleet,
    started: float,
) -> RowResult:
    arrivals = delivered(receiver)
    tally = Tally.of(expected, [identity(d) for d in arrivals], [d.idempotency_key for d in arrivals])
    return RowResult(
        name, tally, outbox_statuses(database_url), fleet.crashed(), seconds=time.monotonic() - started
    )
