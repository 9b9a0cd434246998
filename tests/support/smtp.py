"""``SmtpReceiver``: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every mail it accepts.

Plain SMTP, no TLS, no AUTH — what apprise's ``mailto://`` speaks to a local relay. ``url()`` gives the
apprise URL that sends here. To test failures, ``stop()`` it (nothing listens: connection refused) or set
``reject`` to an SMTP reply (``"451 4.3.0 try again later"``) that every DATA gets until it is set to None.
A slow relay: ``delay_s`` is how long each DATA takes before the 250 reply, and ``one_at_a_time`` makes
mails wait for each other (a relay that handles one mail at a time). A delayed mail is kept once the delay
is over, even if the client has stopped waiting: a real relay would deliver it.

Example::

    from tests.support.smtp import SmtpReceiver

    with SmtpReceiver() as smtp:
        channel = smtp.url()                 # mailto://127.0.0.1:PORT?from=…&to=…
        ...                                  # deliver an alert to channel
        [mail] = smtp.wait_for(1)
        assert mail["Subject"] == "…"
        assert "https://example.com/a" in mail.get_content()
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SENDER = "newsmon@example.com"
RECIPIENT = "analyst@example.com"


@dataclass(frozen=True)
class ReceivedMail:
    """One accepted mail: the SMTP envelope and the parsed message."""

    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage
    received_at: float = field(default_factory=time.time)  # wall clock, when the relay accepted it


class SmtpReceiver:
    def __init__(self, host: str = "127.0.0.1", password: str | None = None) -> None:
        self.host = host
        self.password = password  # set: the relay demands AUTH and accepts only this password
        self.port = _free_port(host)
        self.reject: str | None = None
        self.delay_s = 0.0  # how long each DATA takes before it is accepted: a slow relay
        self.one_at_a_time = False  # with delay_s: mails queue behind each other instead of overlapping
        self._received: list[ReceivedMail] = []
        self._changed = threading.Condition()
        self._controller: Controller | None = None

    def start(self) -> SmtpReceiver:
        """Listen on ``self.port`` (the same port again after a ``stop``)."""
        if self._controller is None:
            login = {"authenticator": self._login, "auth_require_tls": False} if self.password else {}
            self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, **login)
            self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening: a client now gets "connection refused"."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpReceiver:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def url(self, sender: str = SENDER, recipient: str = RECIPIENT, password: str | None = None) -> str:
        """The apprise URL for plain SMTP to this server (``mailto://`` is unencrypted; with ``password``, it
        logs in as "newsmon")."""
        login = f"newsmon:{password}@" if password is not None else ""
        return f"mailto://{login}{self.host}:{self.port}?from={sender}&to={recipient}"

    def _login(
        self, server: object, session: object, envelope: object, mechanism: str, data: object
    ) -> AuthResult:
        accepted = isinstance(data, LoginPassword) and data.password == (self.password or "").encode()
        return AuthResult(success=accepted, handled=False)

    @property
    def received(self) -> tuple[ReceivedMail, ...]:
        with self._changed:
            return tuple(self._received)

    @property
    def messages(self) -> tuple[EmailMessage, ...]:
        return tuple(mail.message for mail in self.received)

    def wait_for(self, count: int = 1, timeout_s: float = 5.0) -> tuple[EmailMessage, ...]:
        """The first ``count`` messages, waiting for them to arrive; AssertionError after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(self._received) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} mail(s), received {len(self._received)}")
                self._changed.wait(remaining)
            return tuple(mail.message for mail in self._received[:count])

    def _accept(self, mail: ReceivedMail) -> None:
        with self._changed:
            self._received.append(mail)
            self._changed.notify_all()


class _Handler:
    """aiosmtpd's handler protocol: ``handle_DATA`` returns the SMTP reply."""

    def __init__(self, owner: SmtpReceiver) -> None:
        self._owner = owner
        self._one_by_one: asyncio.Lock | None = None  # created on the controller's loop

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self._owner.one_at_a_time:
            if self._one_by_one is None:
                self._one_by_one = asyncio.Lock()
            async with self._one_by_one:
                await asyncio.sleep(self._owner.delay_s)
        elif self._owner.delay_s:
            await asyncio.sleep(self._owner.delay_s)
        if self._owner.reject is not None:
            return self._owner.reject
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self._owner._accept(ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 OK"


def _free_port(host: str) -> int:
    """A port nothing listens on now (aiosmtpd cannot bind port 0: it connects to its port to start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port
