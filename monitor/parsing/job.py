"""A feed parse as a picklable job, so it can run in a worker process (feed parsing is CPU-bound).

It lives here, not in the pipeline, because a worker imports the module of what it unpickles: a job
defined in ``pipeline.polling`` made every parse worker import the storage layer, the alerting channels
and the rule compiler (about a second of CPU per worker, at every start) to parse XML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.domain import ParseResult
from monitor.errors import ParseError
from monitor.parsing.feed import ParseStats, parse_feed_with_stats


@dataclass(frozen=True)
class ParseJob:
    body: bytes
    url: str
    fetched_at: datetime
    content_type: str | None
    known: frozenset[str]
    max_bytes: int  # http.max_body_bytes, applied again to a gzip body once decompressed

    def __call__(self) -> tuple[ParseResult, ParseStats]:
        """Only a ``ParseError`` leaves: it pickles back from a worker process, where an arbitrary third-party
        exception might not, and an exception that does not unpickle breaks the whole pool."""
        try:
            return parse_feed_with_stats(
                self.body,
                url=self.url,
                fetched_at=self.fetched_at,
                content_type=self.content_type,
                known_identities=self.known,
                max_bytes=self.max_bytes,
            )
        except ParseError:
            raise
        except Exception as exc:
            raise ParseError(self.url, f"the parser failed: {type(exc).__name__}: {exc}") from exc
