"""The seed articles of ../shared/corpus/seeds, read at test time (never copied into this repository).

``seed_feed`` builds an RSS 2.0 document from them so the daemon can poll a real feed made of real news;
the order is chronological (003 July 2025, 002 August 2025, then 000, 001, 004 late October 2025).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS_DIR = SHARED / "corpus" / "seeds"
CHRONOLOGICAL = ("003", "002", "000", "001", "004")
_PUBLISHED = {
    "003": datetime(2025, 7, 11, 9, 0, tzinfo=UTC),
    "002": datetime(2025, 8, 6, 18, 0, tzinfo=UTC),
    "000": datetime(2025, 10, 23, 8, 0, tzinfo=UTC),
    "001": datetime(2025, 10, 23, 14, 0, tzinfo=UTC),
    "004": datetime(2025, 10, 24, 7, 30, tzinfo=UTC),
}


@dataclass(frozen=True)
class Seed:
    number: str
    title: str
    text: str
    published_at: datetime

    @property
    def link(self) -> str:
        return f"https://seeds.newsmon.invalid/{self.number}"


def load_seeds() -> list[Seed]:
    """The five seeds in chronological order; the title is the first sentence, as a wire headline."""
    seeds = []
    for number in CHRONOLOGICAL:
        (path,) = SEEDS_DIR.glob(f"{number}_*.txt")
        text = path.read_text(encoding="utf-8").strip()
        seeds.append(Seed(number, _headline(text), text, _PUBLISHED[number]))
    return seeds


def _headline(text: str) -> str:
    """The first sentence (not cut at an abbreviation such as "U.S."), at most 140 characters."""
    first = re.split(r"(?<![A-Z]\.[A-Z]\.)(?<=[.!?])\s(?=[A-Z])", text, maxsplit=1)[0]
    return first if len(first) <= 140 else first[:140].rsplit(" ", 1)[0]


def seed_feed(seeds: list[Seed], title: str = "Seed Wire") -> bytes:
    """An RSS 2.0 feed whose items are ``seeds`` (newest first, as publishers order them)."""
    items = []
    for seed in sorted(seeds, key=lambda s: s.published_at, reverse=True):
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in seed.text.split("\n") if p.strip())
        items.append(
            "<item>"
            f"<title>{escape(seed.title)}</title><link>{seed.link}</link>"
            f'<guid isPermaLink="false">seed-{seed.number}</guid>'
            f"<pubDate>{format_datetime(seed.published_at)}</pubDate>"
            f"<description><![CDATA[{paragraphs}]]></description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://seeds.newsmon.invalid/</link>"
        f"<description>seed articles</description>{''.join(items)}</channel></rss>"
    ).encode()
