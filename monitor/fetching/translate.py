"""The door where httpx exceptions become ``FetchError``s with a reason a person can act on.

Nothing above ``fetching`` may see an httpx exception (STYLE.md, principle 3). The reason strings are
what an operator reads in ``newsmon feeds status`` and in logs, so they name the cause ("connection
refused", "timed out after 20 s") rather than the exception class; the original is kept as
``__cause__`` for debug logging.
"""

from __future__ import annotations

import errno
import socket
import ssl

import httpx

from monitor.errors import FetchError
from monitor.fetching.limits import FetchLimits

_ERRNO_REASONS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "connection reset by peer",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
    errno.ETIMEDOUT: "connection timed out",
}


def timeout_reason(seconds: float, what: str = "") -> str:
    prefix = f"{what} " if what else ""
    return f"{prefix}timed out after {seconds:g} s"


def translate(exc: httpx.HTTPError | httpx.InvalidURL, url: str, limits: FetchLimits) -> FetchError:
    """The ``FetchError`` to raise ``from exc``; call it in an ``except`` around every httpx call."""
    return FetchError(url, _reason(exc, limits))


def _reason(exc: Exception, limits: FetchLimits) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return timeout_reason(limits.connect_timeout_s, "connect")
    if isinstance(exc, httpx.TimeoutException):
        return timeout_reason(limits.timeout_s)
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect: {_os_reason(exc)}"
    if isinstance(exc, httpx.DecodingError):
        return f"could not decode the compressed body: {exc}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"server broke the HTTP protocol: {exc}"
    if isinstance(exc, httpx.NetworkError):
        return f"network error: {_os_reason(exc)}"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"invalid URL: {exc}"
    return f"HTTP client error: {exc or type(exc).__name__}"


def _os_reason(exc: BaseException) -> str:
    """Walk the cause chain down to the socket-level error and describe it in words."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return f"host name not found ({seen.strerror or seen})"
        if isinstance(seen, ssl.SSLError):
            return f"TLS error ({seen.reason or seen})"
        if isinstance(seen, OSError) and seen.errno in _ERRNO_REASONS:
            return _ERRNO_REASONS[seen.errno]
        seen = seen.__cause__ or seen.__context__
    return str(exc) or type(exc).__name__
