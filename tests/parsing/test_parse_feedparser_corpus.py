"""Every test feed of feedparser's own source distribution (~2,250 files) through our parser.

The sdist is fetched once with pip into ``.cache/feedparser-sdist`` (ignored by git; PyPI is reachable
here, nothing else is) and unpacked there. Nothing is copied into the repository. If the download fails
the test fails and says how to fetch it by hand: a sweep that silently skips would prove nothing.

Each file must give either a ``ParseResult`` or a ``ParseError`` whose reason is one of ours, never another
exception. Where feedparser itself finds entries, our count must equal feedparser's minus the phantom
entries we skip and count (``ParseResult.skipped_empty``: items with no title, link, id or text) — that is
the whole tolerance. The files we refuse are listed below with the reason, and feedparser must find no
entry in any of them.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path

import feedparser
import pytest

from monitor.errors import ParseError
from monitor.parsing import parse_feed

pytestmark = pytest.mark.slow

VERSION = "6.0.12"
REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "feedparser-sdist"
TESTS = CACHE / f"feedparser-{VERSION}" / "tests"
FETCHED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

# The files we refuse, by pattern → the reason's beginning. feedparser finds no entry in any of them.
REFUSED = {
    # zlib/raw deflate without Content-Encoding (feedparser's tests send the header; we sniff gzip only)
    "compression/deflate*.z": "unknown format: not XML, JSON or gzip",
    "compression/gzip-struct-error.gz": "corrupt gzip body",
    # documents with no root element at all
    "http/http_status_302-no-location.xml": "not an RSS, Atom or RDF feed",
    "illformed/rss_empty_document.xml": "not an RSS, Atom or RDF feed",
    # Microsoft's Channel Definition Format (1997): feedparser reads a channel title, no entries
    "wellformed/cdf/channel_*.xml": "not an RSS, Atom or RDF feed",
}


@pytest.fixture(scope="module")
def corpus() -> list[Path]:
    """The sdist's test feeds, downloaded and unpacked on first use."""
    if not TESTS.is_dir():
        _download_and_unpack()
    files = sorted(p for p in TESTS.rglob("*") if p.is_file() and p.suffix in (".xml", ".gz", ".z"))
    assert len(files) > 2_000, f"only {len(files)} test feeds under {TESTS}: delete {CACHE} and rerun"
    return files


def _download_and_unpack() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += [f"feedparser=={VERSION}", "--dest", str(CACHE), "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    archive = CACHE / f"feedparser-{VERSION}.tar.gz"
    if done.returncode != 0 or not archive.is_file():
        pytest.fail(
            f"could not download feedparser {VERSION}'s source distribution from PyPI "
            f"(pip exited {done.returncode}: {done.stderr.strip()[-500:]}). Fetch it by hand with "
            f"'{' '.join(command[2:])}' and rerun.",
            pytrace=False,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE, filter="data")  # "data": no absolute paths, links out or device files


def expected_refusal(name: str) -> str | None:
    return next((reason for pattern, reason in REFUSED.items() if fnmatch(name, pattern)), None)


def test_every_feedparser_test_feed_parses_like_feedparser_or_is_refused_as_documented(
    corpus: list[Path],
) -> None:
    mismatches: list[str] = []
    refused: dict[str, str] = {}
    for path in corpus:
        name = path.relative_to(TESTS).as_posix()
        body = path.read_bytes()
        theirs = len(feedparser.parse(io.BytesIO(body)).entries)
        try:
            result = parse_feed(body, url=f"https://feeds.example/{name}", fetched_at=FETCHED)
        except ParseError as error:
            refused[name] = error.reason
            if theirs:
                mismatches.append(f"{name}: refused ({error.reason}) but feedparser finds {theirs} entries")
            continue
        if len(result.entries) + result.skipped_empty != theirs:
            mismatches.append(
                f"{name}: {len(result.entries)} entries + {result.skipped_empty} phantoms, feedparser {theirs}"
            )

    assert mismatches == []
    unexpected = {n: r for n, r in refused.items() if not r.startswith(expected_refusal(n) or "\0")}
    assert unexpected == {}, "refused without a documented reason"
    documented = {pattern for pattern in REFUSED if any(fnmatch(name, pattern) for name in refused)}
    assert documented == set(REFUSED), "a documented refusal no longer happens: update REFUSED"
