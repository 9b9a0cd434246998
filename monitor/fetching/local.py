"""``file://`` feeds: local files behave like a polite HTTP server with Last-Modified.

Useful for feeds another tool writes to disk and for demos without a network. The same size cap
applies, and the file's mtime stands in for Last-Modified so an unchanged file is "not modified"
without being read. Only ``file://`` URLs come here: a bare path is refused by the caller, so a
typo in a feed URL never silently turns into a file read.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import time
from datetime import datetime
from email.utils import formatdate
from pathlib import Path
from stat import S_ISREG
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from monitor.domain import Fetchable, FetchResult
from monitor.errors import FetchError


def file_path(url: str) -> Path:
    """The local path of a ``file://`` URL; only the empty host or ``localhost`` is accepted."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(url, f"file URL with a remote host {parts.netloc!r} is not supported")
    if not parts.path:
        raise FetchError(url, "file URL without a path")
    return Path(url2pathname(unquote(parts.path)))


async def fetch_file(feed: Fetchable, now: datetime, max_body_bytes: int) -> FetchResult:
    """Read ``feed.url`` (a ``file://`` URL) with the size cap; 304 when its mtime equals the stored one."""
    started = time.monotonic()
    path = file_path(feed.url)
    last_modified, body = await asyncio.to_thread(_read, feed, path, max_body_bytes)
    return FetchResult(
        url=feed.url,
        final_url=feed.url,
        status=304 if body is None else 200,
        fetched_at=now,
        body=body,
        not_modified=body is None,
        last_modified=last_modified,
        content_type=mimetypes.guess_type(path.name)[0],
        elapsed_s=time.monotonic() - started,
    )


def _read(feed: Fetchable, path: Path, max_body_bytes: int) -> tuple[str, bytes | None]:
    """Blocking part, run in a thread: (HTTP-date of the mtime, bytes or None when not modified)."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            stat = os.fstat(handle.fileno())
            if not S_ISREG(stat.st_mode):
                raise FetchError(feed.url, f"not a regular file: {path}")
            last_modified = formatdate(stat.st_mtime, usegmt=True)
            if feed.last_modified == last_modified:
                return last_modified, None
            if stat.st_size > max_body_bytes:
                raise _too_large(feed.url, max_body_bytes)
            body = handle.read(max_body_bytes + 1)  # the file may grow between stat and read
    except FileNotFoundError as exc:
        raise FetchError(feed.url, f"no such file: {path}") from exc
    except IsADirectoryError as exc:
        raise FetchError(feed.url, f"not a file: {path}") from exc
    except OSError as exc:
        raise FetchError(feed.url, f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(body) > max_body_bytes:
        raise _too_large(feed.url, max_body_bytes)
    return last_modified, body


def _too_large(url: str, max_body_bytes: int) -> FetchError:
    return FetchError(url, f"body larger than {max_body_bytes} bytes")
