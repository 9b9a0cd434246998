"""The real-world feed corpus of ../shared/corpus/feeds/real, read at test time (never copied into this repo).

``EXPECTED_ENTRIES`` is what ``monitor.parsing.parse_feed`` must return per file, written out by hand from
``feedparser_baseline.csv`` (its "entries" column) and SOURCES.md, not computed by our parser. It differs from
feedparser's count where feedparser loses items (JSON documents, gzip bodies) or returns items that are not
entries (phantoms); each such line says why. ``NOT_FEEDS`` maps the files that are not feeds to a fragment of
the ``ParseError`` reason they must produce.
"""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS_DIR = SHARED / "corpus" / "feeds" / "real"

EXPECTED_ENTRIES: dict[str, int] = {
    "RSParser__3960.json": 20,  # JSON Feed 1.1: feedparser finds 0, the file has 20 items
    "RSParser__489.rss": 10,
    "RSParser__4fsodonline.atom": 25,
    "RSParser__DaringFireball.atom": 48,
    "RSParser__DaringFireball.json": 48,  # JSON Feed 1.0: feedparser 0, file 48
    "RSParser__DaringFireball.rss": 47,  # named .rss, is Atom
    "RSParser__EMarley.rss": 10,
    "RSParser__KatieFloyd.rss": 20,
    "RSParser__OneFootTsunami.atom": 25,
    "RSParser__ScriptingNews.json": 50,  # RSS-in-JSON (rss.channel.item): feedparser 0, file 50
    "RSParser__aktuality.rss": 30,
    "RSParser__allthis.atom": 12,  # named .atom, is RSS 2.0
    "RSParser__allthis.json": 12,  # JSON Feed 1.0: feedparser 0, file 12
    "RSParser__atp.rss": 100,
    "RSParser__authors.json": 4,  # JSON Feed 1.1 (synthetic): feedparser 0, file 4
    "RSParser__bio.rdf": 30,
    "RSParser__cloudblog.rss": 20,
    "RSParser__curt.json": 26,  # JSON Feed 1.0: feedparser 0, file 26
    "RSParser__dcrainmaker.xml": 8,
    "RSParser__donthitsave.xml": 10,
    "RSParser__expertopinionent.atom": 43,
    "RSParser__inessential.json": 20,  # JSON Feed 1.0: feedparser 0, file 20
    "RSParser__jsonfeed-extension.json": 3,  # JSON Feed 1.1 with _extensions: feedparser 0, file 3
    "RSParser__kc0011.rss": 20,
    "RSParser__livemint.xml": 25,
    "RSParser__macworld.rss": 30,
    "RSParser__manton.rss": 10,
    "RSParser__monkeydom.rss": 13,
    "RSParser__natasha.xml": 10,
    "RSParser__phpxml.rss": 20,
    "RSParser__pxlnv.json": 20,  # JSON Feed 1.0 with an http:// version URL: feedparser 0, file 20
    "RSParser__rose.json": 84,  # JSON Feed 1.0: feedparser 0, file 84
    "RSParser__rubenerd.rss": 10,
    "RSParser__russcox.atom": 19,
    "RSParser__scriptingNews.rss": 50,
    "RSParser__theomnishow.rss": 4,
    "node-feedparser__atom-with-tag-uri-links.xml": 1,
    "node-feedparser__category-feed.xml": 1,
    "node-feedparser__complexNamespaceFeed.xml": 1,
    "node-feedparser__compressed.xml": 10,  # gzip bytes without Content-Encoding: feedparser 0, inside 10
    "node-feedparser__guid-dupes.xml": 1,
    "node-feedparser__iconv.xml": 10,
    "node-feedparser__illegally-nested.xml": 10,  # feedparser 20, of which 10 are phantom <item/>s
    "node-feedparser__intertwingly.atom": 20,
    "node-feedparser__invalid-characters-gzipped.xml": 25,  # gzip without Content-Encoding: feedparser 0
    "node-feedparser__mediacontent-dupes.xml": 1,
    "node-feedparser__non-text-alternate-links.xml": 1,
    "node-feedparser__nondefaultnamespace-baseline.atom": 1,
    "node-feedparser__nondefaultnamespace-xhtml.atom": 1,
    "node-feedparser__nondefaultnamespace.atom": 1,
    "node-feedparser__relative-channel-image-url.xml": 1,
    "node-feedparser__rss-with-item-scoped-html-base.xml": 2,
    "node-feedparser__rss-with-relative-html-urls-no-base.xml": 1,
    "node-feedparser__rss-with-relative-html-urls.xml": 1,
    "node-feedparser__rss-with-relative-urls-with-absolute-xmlurl.xml": 2,
    "node-feedparser__rss-with-relative-urls.xml": 2,
    "node-feedparser__rss-with-trailing-meta.xml": 1,
    "node-feedparser__rss2sample.xml": 4,
    "node-feedparser__saxerror.xml": 3,  # malformed XML: feedparser's loose parser recovers all 3
    "node-feedparser__tpm-with-empty-base.atom": 20,
    "node-feedparser__tpm-with-fragment-base.atom": 20,
    "node-feedparser__tpm.atom": 20,
    "node-feedparser__unknown-namespace.atom": 1,
    "node-feedparser__wapowellness.xml": 29,
    "rss-parser__atom-customfields.atom": 15,
    "rss-parser__content-encoded.rss": 7,
    "rss-parser__craigslist.rss": 25,
    "rss-parser__customfields.rss": 15,
    "rss-parser__encoding.rss": 40,
    "rss-parser__feedburner.atom": 25,
    "rss-parser__giantbomb-podcast.rss": 730,
    "rss-parser__guardian.rss": 55,
    "rss-parser__gulp-atom.atom": 10,
    "rss-parser__heise.atom": 15,
    "rss-parser__heraldsun.rss": 2,
    # feedparser 1, but the one <entry> holds only an empty <author>: no title, link, id or text — a phantom
    "rss-parser__incomplete-fields.atom": 0,
    "rss-parser__instant-article.rss": 1,
    "rss-parser__item-itunes-episodeType.rss": 1,
    "rss-parser__itunes-category.rss": 1,
    "rss-parser__itunes-href.rss": 10,
    "rss-parser__itunes-keywords-array.rss": 1,
    "rss-parser__itunes-keywords-astext.rss": 32,
    "rss-parser__itunes-keywords.rss": 1,
    "rss-parser__itunes-missing-image.rss": 131,  # 123 items share one link: identity must not use it alone
    "rss-parser__many-links.rss": 25,
    "rss-parser__missing-fields.atom": 1,  # only an <id>: still an entry (it has a GUID)
    "rss-parser__narro.rss": 1,
    "rss-parser__pagination-links.rss": 1,
    "rss-parser__reddit-atom.rss": 24,
    "rss-parser__reddit-home.rss": 24,
    "rss-parser__reddit.rss": 24,
    "rss-parser__rss-1.rss": 69,
    "rss-parser__uolNoticias.rss": 15,
}

# Files that are not feeds → a fragment of the ParseError reason.
NOT_FEEDS: dict[str, str] = {
    "RSParser__allthis-partial.json": "invalid JSON",  # a JSON Feed cut off mid-string
    "node-feedparser__notafeed.html": "HTML page",
    "rss-parser__unrecognized.rss": "HTML page",  # MarketWatch "Document Moved" page at a feed URL
}

# Skipped phantom entries per file (items feedparser returns that carry nothing); every other file: 0.
PHANTOMS: dict[str, int] = {
    "node-feedparser__illegally-nested.xml": 10,
    "rss-parser__incomplete-fields.atom": 1,
}


def corpus_files() -> list[Path]:
    """Every feed file of the corpus (the files named ``SOURCE__name``), sorted."""
    return sorted(path for path in CORPUS_DIR.iterdir() if "__" in path.name)


def corpus_path(name: str) -> Path:
    return CORPUS_DIR / name
