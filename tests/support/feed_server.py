"""``FeedServer``: a real HTTP/1.1 server on 127.0.0.1 that serves feeds the way publishers do.

Tests register routes — a static body with ETag/Last-Modified (and 304 answers to conditional GETs),
any status with any headers, redirects, slow or dripping responses, gzip/deflate bodies, chunked
bodies without Content-Length — and then assert on what the server saw: every request's path and
headers, and the largest number of requests it was serving at the same moment.

Example::

    from tests.support.feed_server import FeedServer

    with FeedServer() as server:
        url = server.route("/feed.xml", body=b"<rss/>", etag='"v1"', content_type="application/rss+xml")
        server.redirect("/old.xml", "/feed.xml", status=301)
        server.route("/busy", status=503, headers={"Retry-After": "120"})
        ...  # fetch server.url("/old.xml"), poll url twice, ...
        assert server.requests[-1].headers["if-none-match"] == '"v1"'
        assert server.max_in_flight <= 2

As a pytest fixture: ``with FeedServer() as server: yield server``. Routes can be replaced while the
server runs (call ``route`` again), so a test can publish a new version of a feed between polls.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import sys
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Route:
    """What the server answers on one path.

    ``etag``/``last_modified`` are sent on 200 and honoured on conditional GETs (304, with the
    validators unless ``validators_on_304`` is False). ``encoding`` ("gzip" or "deflate") compresses
    ``body`` on the wire. ``content_length=False`` sends the body chunked, without Content-Length.
    ``delay_s`` sleeps before the status line; ``drip_s`` sleeps after every ``chunk_size`` bytes.
    """

    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/xml"
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    validators_on_304: bool = True
    encoding: str | None = None
    content_length: bool = True
    delay_s: float = 0.0
    drip_s: float = 0.0
    chunk_size: int = 64 * 1024


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it; header names are lower-cased."""

    method: str
    path: str
    headers: Mapping[str, str]


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 with an ephemeral port; use it as a context manager."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._max_in_flight = 0
        self._connections: set[socket.socket] = set()
        self._connections_opened = 0
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FeedServer:
        self._stopping.clear()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler, owner=self)
        self._thread = threading.Thread(
            # a short poll interval keeps stop() (and so each test's teardown) in the milliseconds
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="feed-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, cut open connections (ending slow responses early) and join every thread."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _shutdown(connection)
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- routes ----------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("FeedServer is not running")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, **options: Any) -> str:
        """Serve ``Route(**options)`` on ``path`` (replacing any earlier route); returns its URL."""
        return self.add(path, Route(**options))

    def add(self, path: str, route: Route) -> str:
        with self._lock:
            self._routes[path] = route
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        """Redirect ``path`` to ``to``, sent verbatim as Location (a path, a relative or absolute URL)."""
        return self.add(path, Route(status=status, content_type=None, headers={"Location": to}))

    # -- what the server saw ---------------------------------------------------------------------

    @property
    def requests(self) -> tuple[RecordedRequest, ...]:
        with self._lock:
            return tuple(self._requests)

    def requests_to(self, path: str) -> tuple[RecordedRequest, ...]:
        return tuple(request for request in self.requests if request.path == path)

    @property
    def max_in_flight(self) -> int:
        """The most requests the server was answering at the same time since start or ``reset``."""
        with self._lock:
            return self._max_in_flight

    def reset(self) -> None:
        """Forget recorded requests and the in-flight high-water mark (routes stay)."""
        with self._lock:
            self._requests.clear()
            self._max_in_flight = self._in_flight

    # -- used by the handler ---------------------------------------------------------------------

    def _begin(self, request: RecordedRequest) -> Route | None:
        with self._lock:
            self._requests.append(request)
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            path = request.path
            return self._routes.get(path) or self._routes.get(path.partition("?")[0])

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests)."""
        with self._lock:
            return self._connections_opened

    def _end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(connection)
                self._connections_opened += 1
            else:
                self._connections.discard(connection)
        if open_ and self._stopping.is_set():
            _shutdown(connection)

    def _sleep(self, seconds: float) -> None:
        """Sleep that ``stop`` interrupts, so a slow route never delays the end of a test."""
        if seconds > 0:
            self._stopping.wait(seconds)


class _HTTPServer(ThreadingHTTPServer):
    # handler threads are joined on close (stop() first cuts their connections), so none outlives a test
    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler], owner: FeedServer) -> None:
        self.owner = owner
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away (a fetcher that timed out or refused a body): expected here
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the fetcher's pool expects
    timeout = 10  # an idle keep-alive connection never pins a thread for long
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.owner._track(self.connection, open_=True)

    def finish(self) -> None:
        self.server.owner._track(self.connection, open_=False)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read server.requests instead of stderr

    def do_GET(self) -> None:
        owner = self.server.owner
        headers = {name.lower(): value for name, value in self.headers.items()}
        route = owner._begin(RecordedRequest(self.command, self.path, headers))
        try:
            self._answer(route or Route(status=404, body=b"no route\n", content_type="text/plain"), headers)
        finally:
            owner._end()

    def _answer(self, route: Route, request_headers: Mapping[str, str]) -> None:
        self.server.owner._sleep(route.delay_s)
        if route.status == 200 and _not_modified(route, request_headers):
            self.send_response(304)
            self._send_validators(route, route.validators_on_304)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = _encode(route.body, route.encoding)
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self._send_validators(route, True)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.encoding:
            self.send_header("Content-Encoding", route.encoding)
        if route.content_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._send_body(route, body)

    def _send_validators(self, route: Route, send: bool) -> None:
        if send and route.etag:
            self.send_header("ETag", route.etag)
        if send and route.last_modified:
            self.send_header("Last-Modified", route.last_modified)

    def _send_body(self, route: Route, body: bytes) -> None:
        for start in range(0, len(body), route.chunk_size):
            chunk = body[start : start + route.chunk_size]
            if route.content_length:
                self.wfile.write(chunk)
            else:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
            self.server.owner._sleep(route.drip_s)
        if not route.content_length:
            self.wfile.write(b"0\r\n\r\n")


def _not_modified(route: Route, request_headers: Mapping[str, str]) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip() for tag in if_none_match.split(",")}
        return route.etag is not None and ("*" in tags or route.etag in tags)
    since = request_headers.get("if-modified-since")
    if since is None or route.last_modified is None:
        return False
    modified, asked = _http_date(route.last_modified), _http_date(since)
    if modified is None or asked is None:
        return since == route.last_modified
    return modified <= asked


def _http_date(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def _encode(body: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding is None:
        return body
    raise ValueError(f"FeedServer cannot encode {encoding!r}")


def _shutdown(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the peer
        connection.shutdown(socket.SHUT_RDWR)
