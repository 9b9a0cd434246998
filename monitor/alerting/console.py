"""``console://``: alerts printed to the terminal, for the demo and for trying rules out by hand.

Registered with apprise like any add-on channel (see ``registry.py``), so a
subscriber with ``urls: [console://]`` goes through the same routing, outbox, retries and dedupe as e-mail.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

SCHEME = "console"
WIDTH = 72

# apprise sends from worker threads: one alert's box must not interleave with another's
_WRITE_LOCK = threading.Lock()


def box(title: str, body: str) -> str:
    """The alert as a framed block: a rule, the title, a rule, the body, a rule."""
    rule = "+" + "-" * (WIDTH - 1)
    lines = [rule, f"| {title}", rule]
    lines.extend(f"| {line}".rstrip() for line in body.splitlines())
    lines.append(rule)
    return "\n".join(lines) + "\n"


def send(body: str, title: str, notify_type: str, *args: Any, **kwargs: Any) -> bool:
    """apprise's custom-notification hook: write the box to stdout (looked up now, so capture works)."""
    with _WRITE_LOCK:
        sys.stdout.write(box(title, body))
        sys.stdout.flush()
    return True
