"""``WebhookReceiver``: a real HTTP server on 127.0.0.1 that records every JSON body POSTed to it.

For apprise's ``json://`` (and any other webhook-style channel). ``status`` sets the answer (200 by default;
set 500 or 503 to test a failing endpoint) and ``delay_s`` how long it takes (a slow endpoint). A POST is
logged when it arrives, before the delay: the receiver has it even if the sender gives up waiting, which is
what a real endpoint does and what the chaos tests (tests/support/chaos.py) count as delivered.

Example::

    from tests.support.webhook import WebhookReceiver

    with WebhookReceiver() as hook:
        channel = hook.url("/alerts")        # json://127.0.0.1:PORT/alerts
        ...                                  # deliver an alert to channel
        [post] = hook.wait_for(1)
        assert post.path == "/alerts" and post.json["title"] == "…"
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class ReceivedPost:
    path: str
    headers: dict[str, str]
    json: Any  # None when the body was not JSON
    body: bytes
    received_at: float = field(default_factory=time.time)  # wall clock, when the POST arrived


class WebhookReceiver:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.status = 200
        self.delay_s = 0.0  # how long to wait before answering: a slow endpoint
        self._posts: list[ReceivedPost] = []
        self._changed = threading.Condition()
        self._server = _Server((host, 0), _Handler, self)
        self.port: int = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    def start(self) -> WebhookReceiver:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="webhook-receiver", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; the receiver cannot be started again."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def url(self, path: str = "/hook", scheme: str = "json") -> str:
        """An apprise URL that POSTs here: ``json://127.0.0.1:PORT/path`` by default."""
        return f"{scheme}://{self.host}:{self.port}{path}"

    @property
    def posts(self) -> tuple[ReceivedPost, ...]:
        with self._changed:
            return tuple(self._posts)

    def wait_for(self, count: int = 1, timeout_s: float = 5.0) -> tuple[ReceivedPost, ...]:
        """The first ``count`` posts, waiting for them to arrive; AssertionError after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(self._posts) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} POST(s), received {len(self._posts)}")
                self._changed.wait(remaining)
            return tuple(self._posts[:count])

    def _record(self, post: ReceivedPost) -> None:
        with self._changed:
            self._posts.append(post)
            self._changed.notify_all()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler], owner: WebhookReceiver) -> None:
        super().__init__(address, handler)
        self.owner = owner


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests assert on ``posts``, not on stderr."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        owner = self.server.owner
        owner._record(ReceivedPost(self.path, headers, payload, body))
        if owner.delay_s:
            time.sleep(owner.delay_s)
        self.send_response(owner.status)
        self.send_header("Content-Length", "0")
        self.end_headers()
