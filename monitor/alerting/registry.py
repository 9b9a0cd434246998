"""apprise as newsmon uses it: our channels registered, its log lines masked, lazy TLS for plain SMTP.

The one door to apprise. A function that needs apprise imports it from here, in its body::

    from monitor.alerting.registry import apprise

and never at the top of a module. Importing apprise costs ~0.1 s of CPU, and registering a channel makes
apprise import every one of its plugins (0.2–0.4 s more); a poll with no subscriber and nothing to deliver
needs none of it, and `newsmon run --once` is timed as a whole process. So nothing is loaded until a
channel URL is checked (start-up validation of the subscribers, ``newsmon check``), an alert's format is
chosen, or a notification is sent; then the first import of this module does the set-up below, once per
process. Python's import lock makes a thread that imports it meanwhile wait for the set-up to finish,
never see apprise half set up.

The set-up:

- ``console://`` and ``jsonl:///path`` registered through apprise's own extension point (its ``notify``
  decorator), exactly like an add-on channel;
- a filter on apprise's (and urllib3's) logger masking every URL it logs (``masking.redact_urls``), and a
  handler passing on only its warnings and worse (``_ForwardAtRootLevel``);
- apprise's SMTP plugin given a TLS context that reads the CA bundle only for encrypted sessions (``tls.py``).
"""

from __future__ import annotations

import logging
import warnings

import apprise
from apprise.decorators import notify
from apprise.manager_plugins import NotificationManager

from monitor.alerting import tls
from monitor.alerting.channels import BUILTIN_CHANNELS
from monitor.alerting.masking import redact_urls

# apprise logs whole URLs on errors; urllib3 (under apprise's HTTP plugins) logs request paths at debug
_REDACTED_LOGS = (logging.getLogger("apprise"), logging.getLogger("urllib3.connectionpool"))


class _RedactUrls(logging.Filter):
    """Masks every URL in an apprise log record: apprise logs whole URLs on errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_urls(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class _ForwardAtRootLevel(logging.Handler):
    """Passes apprise's warnings and worse (and nothing below the process's level) to the root handlers.

    apprise says why an SMTP session failed (a refused login, a 5xx reply) only at debug level, and its
    per-call log capture sees only what its logger lets through; so the apprise logger lets everything
    through for the capture, and this handler (instead of propagation) keeps the process's own log as
    quiet as before."""

    def emit(self, record: logging.LogRecord) -> None:
        root = logging.getLogger()
        if record.levelno >= max(logging.WARNING, root.getEffectiveLevel()):
            root.handle(record)


def _register_builtin_channels() -> None:
    """Make ``console://`` and ``jsonl://`` known to apprise and redact its logs; safe to call again."""
    for logger in _REDACTED_LOGS:
        if not any(isinstance(f, _RedactUrls) for f in logger.filters):
            logger.addFilter(_RedactUrls())
    apprise_log = _REDACTED_LOGS[0]
    if not any(isinstance(h, _ForwardAtRootLevel) for h in apprise_log.handlers):
        apprise_log.addHandler(_ForwardAtRootLevel())
        apprise_log.setLevel(logging.DEBUG)
        apprise_log.propagate = False
    plugins = NotificationManager()
    with warnings.catch_warnings():
        # The first lookup imports every apprise plugin; the e-mail one imports the stdlib ``imghdr``
        # (for PGPy), deprecated since Python 3.11. Not ours to fix, and harmless until 3.13, where
        # apprise installs a shim instead. Silenced for exactly that warning, exactly here.
        warnings.filterwarnings("ignore", message="'imghdr' is deprecated", category=DeprecationWarning)
        for scheme, (name, send) in BUILTIN_CHANNELS.items():
            if scheme not in plugins:
                notify(on=scheme, name=name)(send)


_register_builtin_channels()
tls.install()  # plain SMTP without reading the CA bundle per mail: see tls.py

__all__ = ["NotificationManager", "apprise"]
