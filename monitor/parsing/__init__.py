"""The parsing stage: fetched bytes → ``ParseResult`` of normalised ``Entry``s.

RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through feedparser (its only home), JSON Feed 1.0/1.1 and RSS-in-JSON
through our own code, gzip bodies served without Content-Encoding, HTML reduced to plain text, dates in UTC,
canonical links and an identity per entry that is unique within its document (see ``identity``).

    parse_feed(body, url=..., fetched_at=..., known_identities=...) → ParseResult (ParseError if no feed)
    parse_feed_with_stats(...)                                      → (ParseResult, ParseStats)
    parse_article_file(path, fetched_at)                            → Entry (.txt or .json)
    sniff_format(body)                                              → "gzip", "json", "xml", "html", "unknown"
    extract_main_text(page, url=..., content_type=...)              → str, an article page's main text
                                                                      (trafilatura; ParseError if none)
"""

from monitor.parsing.articles import parse_article_file
from monitor.parsing.detect import sniff_format
from monitor.parsing.feed import ParseStats, parse_feed, parse_feed_with_stats
from monitor.parsing.fulltext import extract_main_text
from monitor.parsing.job import ParseJob

__all__ = [
    "ParseJob",
    "ParseStats",
    "extract_main_text",
    "parse_article_file",
    "parse_feed",
    "parse_feed_with_stats",
    "sniff_format",
]
