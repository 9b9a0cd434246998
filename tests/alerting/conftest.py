"""Real receivers for alert channels, on 127.0.0.1: an SMTP server and a webhook endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.smtp import SmtpReceiver
from tests.support.webhook import WebhookReceiver


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver
