"""Enrichment benchmark (issue: enrichment): words/s of bare ``nlp.pipe`` against ``Enricher.enrich`` on the
same texts in the same run, articles/s of the rule-based pipeline (no model), story decisions/s, and the
process's peak memory with the model loaded.

The texts are the shared benchmark workload (../shared/bench/gen_feeds.py: 300–800-word news-like bodies),
HTML-stripped. Run it by hand; it is not part of CI:

    .venv/bin/python bench/bench_enrichment.py [--articles 300] [--rules-articles 1000] [--runs 3]

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import spacy
from spacy.language import Language

from monitor.domain import Article
from monitor.enrichment import Enricher, StoryCandidate, StorySignature, assign_stories
from monitor.enrichment.model import UNUSED_COMPONENTS
from monitor.settings.models import EnrichmentSettings

REPO = Path(__file__).resolve().parents[1]
GEN_FEEDS = REPO.parent / "shared" / "bench" / "gen_feeds.py"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
_ITEM = re.compile(r"<(item|entry)>(.*?)</\1>", re.S)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
_BODY = re.compile(r"<(content:encoded|content)[^>]*>(.*?)</\1>", re.S)
_SUMMARY = re.compile(r"<(description|summary)[^>]*>(.*?)</\1>", re.S)


def _articles(count: int, part: re.Pattern[str] = _BODY) -> list[Article]:
    """``count`` articles from the shared generator, spread over feeds and one day; ``part`` picks the
    full HTML body (``_BODY``) or the short description feeds carry (``_SUMMARY``)."""
    with tempfile.TemporaryDirectory() as folder:
        feeds = max(1, count // 50 + 1)
        subprocess.run(
            [
                sys.executable,
                str(GEN_FEEDS),
                "init",
                "--out",
                folder,
                "--feeds",
                str(feeds),
                "--entries",
                "50",
            ],
            check=True,
            capture_output=True,
        )
        rows = []
        for feed_id, path in enumerate(sorted(Path(folder).glob("feed*")), start=1):
            for _, item in _ITEM.findall(path.read_text(encoding="utf-8")):
                title, body = _TITLE.search(item), part.search(item)
                if title and body:
                    rows.append((feed_id, _plain(title.group(1)), _plain(body.group(2))))
    return [
        Article(
            id=n + 1,
            feed_id=feed_id,
            feed_name=f"feed {feed_id}",
            feed_url=f"http://127.0.0.1/feed{feed_id}",
            identity=str(n),
            title=title,
            link=None,
            guid=None,
            summary="",
            content=body,
            author=None,
            published_at=T0 + timedelta(minutes=n),
            fetched_at=T0 + timedelta(minutes=n),
        )
        for n, (feed_id, title, body) in enumerate(rows[:count])
    ]


def _plain(markup: str) -> str:
    text = re.sub(r"<!\[CDATA\[|\]\]>", "", html.unescape(markup))
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"[ \t]+", " ", text).strip()


def _timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def _drain(docs: Iterable[object]) -> None:
    for _ in docs:  # keep no Doc alive: the benchmark measures speed, not a list of 300 Docs
        pass


def _bare_model(name: str) -> Language:
    """The same model with the same components, without newsmon's: what "bare nlp.pipe" means here."""
    nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    if "senter" in nlp.component_names and "senter" not in nlp.pipe_names:
        nlp.enable_pipe("senter")
    return nlp


def _rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now (``VmRSS``) or at its highest so far (``VmHWM``), in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb() -> float:
    """This process's own peak RSS. Not ``getrusage().ru_maxrss``: Linux carries that across fork and exec,
    so a probe started by this benchmark would report the benchmark's own peak (~400 MB with two models
    loaded) instead of its own (~210 MB)."""
    return _rss_mb("VmHWM")


def _memory_probe(count: int) -> None:
    """Run in a child process, so that the figures are those of an enricher alone."""
    articles = _articles(count)
    before = _rss_mb()
    enricher = Enricher.from_settings(EnrichmentSettings(), [REPO / "rules"])
    loaded = _rss_mb()
    for _ in range(2):
        enricher.enrich(articles)
    print(before, loaded, _rss_mb(), _peak_rss_mb())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rules-articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        _memory_probe(args.articles)
        return

    many = _articles(max(args.articles, args.rules_articles))
    articles = many[: args.articles]
    texts = [a.field_text("text") for a in articles]
    words = sum(len(t.split()) for t in texts)

    settings = EnrichmentSettings()
    start = time.perf_counter()
    enricher = Enricher.from_settings(settings, [REPO / "rules"])
    load_s = time.perf_counter() - start
    bare = _bare_model(enricher.model_name)

    bare_s, enrich_s = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine state
        bare_s.append(_timed(lambda: _drain(bare.pipe(texts, batch_size=settings.batch_size))))
        enrich_s.append(_timed(lambda: enricher.enrich(articles)))

    rules_only = Enricher.from_settings(EnrichmentSettings(model="blank"), [REPO / "rules"])
    rules_articles = many[: args.rules_articles]
    rules_s = [_timed(lambda: rules_only.enrich(rules_articles)) for _ in range(args.runs)]
    summaries = _articles(args.rules_articles, _SUMMARY)
    summary_s = [_timed(lambda: rules_only.enrich(summaries)) for _ in range(args.runs)]

    enrichments = enricher.enrich(articles)
    candidates = [
        StoryCandidate(a.id, StorySignature.from_json(e.story_fingerprint or ""))
        for a, e in zip(articles, enrichments, strict=True)
    ]
    half = len(candidates) // 2
    settled = [
        StoryCandidate(c.article_id, c.signature, d.story_id)
        for c, d in zip(candidates[:half], assign_stories(candidates[:half], [], settings), strict=True)
    ]
    story_s = [_timed(lambda: assign_stories(candidates[half:], settled, settings)) for _ in range(args.runs)]

    bare_wps = words / statistics.median(bare_s)
    enrich_wps = words / statistics.median(enrich_s)
    print(
        f"Enrichment benchmark: {len(articles)} articles, {words:,} words, model {enricher.model_name}, "
        f"median of {args.runs} runs\n"
    )
    print("| measure | value |")
    print("|---|---|")
    print(f"| bare `nlp.pipe` ({', '.join(bare.pipe_names)}) | {bare_wps:,.0f} words/s |")
    print(
        f"| `Enricher.enrich` (+ watch lists, figures, signatures) | {enrich_wps:,.0f} words/s "
        f"({enrich_wps / bare_wps:.0%} of bare) |"
    )
    rules_words = sum(len(a.field_text("text").split()) for a in rules_articles)
    print(
        f"| rules-only `enrich` (no model), {len(rules_articles)} full articles "
        f"({rules_words / len(rules_articles):.0f} words) | "
        f"{len(rules_articles) / statistics.median(rules_s):,.0f} articles/s "
        f"({rules_words / statistics.median(rules_s):,.0f} words/s) |"
    )
    summary_words = sum(len(a.field_text("text").split()) for a in summaries)
    print(
        f"| rules-only `enrich`, title + feed description ({summary_words / len(summaries):.0f} words) | "
        f"{len(summaries) / statistics.median(summary_s):,.0f} articles/s |"
    )
    print(
        f"| `assign_stories`: {len(candidates) - half} new against {half} candidates | "
        f"{(len(candidates) - half) / statistics.median(story_s):,.0f} decisions/s |"
    )
    print(f"| model + watch lists load time | {load_s:.2f} s |")
    probe = subprocess.run(
        [sys.executable, __file__, "--memory-probe", "--articles", str(args.articles)],
        check=True,
        capture_output=True,
        text=True,
    )
    before, loaded, after, peak = (float(v) for v in probe.stdout.split())
    print(
        f"| RSS of a process that enriches (own process): before loading / model loaded / "
        f"after enriching {args.articles} articles twice / peak | "
        f"{before:.0f} / {loaded:.0f} / {after:.0f} / {peak:.0f} MB |"
    )


if __name__ == "__main__":
    main()
