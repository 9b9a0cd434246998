"""The seed articles in chronological order, through enrichment, stories, the mission rules and alert
planning, to real receivers: the October story (seeds 000, 001, 004, three outlets) yields one alert per
fact and key — the Budapest summit cancelled, the Rosneft and Lukoil sanctions, 2.33 million bpd — not one
per article; later sources are recorded on those alerts, and each alert lists the story's sources so far.
000 opens with the US decision to sanction Russia's biggest oil producers, before any outlet names them:
that first report alerts too, keyed by who imposes them (US); 001's named targets are a new key.

Read from ../shared/corpus/seeds at test time. A day of unrelated news is stored first: stories are told
apart by what is rare in the pool, as in a running daemon.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from monitor import pipeline
from monitor.domain import Entry
from monitor.pipeline import alert_admin
from tests.alerting.newsroom import newsroom, write_config
from tests.enrichment.conftest import T0
from tests.enrichment.corpus import OTHER_NEWS
from tests.support.seeds import SEEDS_DIR, load_seeds
from tests.support.smtp import SmtpReceiver
from tests.support.webhook import WebhookReceiver

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="../shared/corpus/seeds is not beside the repo"),
]
RULES = Path(__file__).resolve().parents[2] / "rules"
OUTLET = {"003": "Wire A", "002": "Wire B", "000": "Wire A", "001": "Wire B", "004": "Wire C"}
SUMMIT = "Leaders' summit planned, held, postponed or cancelled"
SANCTIONS = "New sanctions against a company or person"
EXPORTS = "Oil export volume reported in barrels per day"

# what each subscriber receives: the titles, up to the article's own title
ANALYSTS = [
    f"[MEDIUM] {SUMMIT} · Marco Rubio, Sergei Lavrov · now held",  # 003, July
    f"[MEDIUM] {SUMMIT} · Donald Trump, Vladimir Putin · now planned",  # 002, August
    f"[MEDIUM] {SUMMIT} · Donald Trump, Vladimir Putin · planned → cancelled",  # 000, October
    f"[HIGH] {SANCTIONS} · US",  # 000: the companies not yet named
    f"[LOW] {EXPORTS} · 2.33 million barrels per day",  # 001
    f"[HIGH] {SANCTIONS} · Lukoil, Rosneft · new: Lukoil, Rosneft",  # 001
]
SANCTIONS_DESK = [f"[HIGH] {SANCTIONS} · US", f"[HIGH] {SANCTIONS} · Lukoil, Rosneft · new: Lukoil, Rosneft"]
ENERGY_DESK = [f"[LOW] {EXPORTS} · 2.33 million barrels per day"]


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def headline(title: str) -> str:
    """The alert title without the article's own title after the last ': '."""
    return title.rsplit(": ", 1)[0]


async def test_the_october_story_yields_one_alert_per_fact_and_key_for_each_subscriber(
    tmp_path: Path, database_url: str, smtp: SmtpReceiver, webhook: WebhookReceiver
) -> None:
    subscribers = (
        f"  - {{name: analysts, urls: ['{smtp.url()}'], groups: [analysts]}}\n"
        f"  - {{name: sanctions-desk, urls: ['{webhook.url('/sanctions')}'], groups: [analysts],"
        " tags: [sanctions], min_severity: high}\n"
        f"  - {{name: energy-desk, urls: ['jsonl://{tmp_path}/energy.jsonl'], groups: [analysts], tags: [energy]}}"
    )
    settings = write_config(tmp_path, database_url, subscribers, rules=RULES)
    async with newsroom(settings) as room:
        background = [
            Entry(identity=f"bg{n}", title=text.split("\n", 1)[0], content=text.split("\n", 1)[1],
                  link=f"https://other.example/{n}", published_at=T0 + timedelta(minutes=20 * n))
            for n, text in enumerate(OTHER_NEWS.values())
        ]  # fmt: skip
        fetched = T0 + timedelta(hours=5)
        quiet_day = pipeline.process_batch(
            room.context, room.publish_to("Other Wire", background, fetched), fetched
        )
        assert (quiet_day.articles, quiet_day.alerts) == (len(background), 0)
        seen: dict[str, int] = {}
        for seed in load_seeds():
            now = seed.published_at + timedelta(minutes=10)
            entry = Entry(
                identity=f"seed-{seed.number}",
                title=seed.title,
                content=seed.text,
                link=seed.link,
                published_at=seed.published_at,
            )
            [article] = room.publish_to(OUTLET[seed.number], [entry], now)
            seen[seed.number] = article.id
            pipeline.process_batch(room.context, [article], now)  # exactly what the daemon runs
            await room.deliver(now)
        alerts = {
            (a.subscriber, a.rule_id, a.key): a
            for a in alert_admin.list_alerts(room.db)
            if a.story_id == seen["000"]
        }
        summit_key = ("analysts", "summit-status", "Donald Trump, Vladimir Putin")
        summit = alert_admin.alert_detail(room.db, alerts[summit_key].id)
        named = ("analysts", "sanctions-new", "Lukoil, Rosneft")
        sanctions = alert_admin.alert_detail(room.db, alerts[named].id)
        first_report = alert_admin.alert_detail(room.db, alerts[("analysts", "sanctions-new", "US")].id)

    mails = smtp.wait_for(len(ANALYSTS))
    assert sorted(headline(str(m["Subject"])) for m in mails) == sorted(ANALYSTS)  # delivered concurrently
    assert sorted(headline(post.json["title"]) for post in webhook.wait_for(2)) == sorted(SANCTIONS_DESK)
    energy = [json.loads(line) for line in (tmp_path / "energy.jsonl").read_text().splitlines()]
    assert [headline(line["title"]) for line in energy] == ENERGY_DESK

    # the October story is one story; its alerts list every source as it arrives
    assert {a.story_id for a in alerts.values()} == {seen["000"]}
    [sanctions_mail] = [m.get_body(("plain",)) for m in mails if "Lukoil" in str(m["Subject"])]
    assert sanctions_mail is not None
    text = sanctions_mail.get_content()
    assert "Sources" in text
    assert "seeds.newsmon.invalid/000" in text and "seeds.newsmon.invalid/001" in text
    assert "new_term: new Lukoil, Rosneft" in text  # why: the rule's explanation

    # later sources without news are recorded on the alert, not sent
    by_article = {s.article_id: (s.outcome, s.note) for s in summit.sources}
    assert by_article[seen["000"]] == ("alert", "")
    assert by_article[seen["001"]][0] == by_article[seen["004"]][0] == "recorded"
    assert by_article[seen["004"]][1].startswith("state unchanged: still 'cancelled'")
    assert [(s.article_id, s.outcome) for s in sanctions.sources if s.outcome] == [
        (seen["001"], "alert"),
        (seen["004"], "recorded"),
    ]
    assert [(s.article_id, s.outcome) for s in first_report.sources if s.outcome] == [(seen["000"], "alert")]
    assert len(smtp.messages) == len(ANALYSTS)
