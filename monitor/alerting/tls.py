"""Make apprise's e-mail plugin load the CA bundle only when a connection is really encrypted.

apprise 2.x opens every SMTP session with ``ssl.create_default_context()``, also for plain ``mailto://`` to
a local relay, and building that context reads the system's CA bundle: about 20 ms of CPU holding the GIL
per mail, which caps delivery at ~45 mails/s per process whatever the concurrency. Here apprise's SMTP
module gets a context whose certificates load on first use, i.e. when STARTTLS or SMTPS wraps the socket.
Security is unchanged: an encrypted session verifies exactly as before (same protocol, hostname check and
CA store, loaded before the handshake); a plaintext one never needed them.

``install()`` is idempotent and does nothing if apprise's module layout changes (it only speeds things up).
"""

from __future__ import annotations

import importlib
import ssl
import types
import warnings
from typing import Any

_PLUGIN_MODULE = "apprise.plugins.email.smtp"


class LazyDefaultContext(ssl.SSLContext):
    """``ssl.create_default_context()`` for servers, loading the default CA certificates when first used."""

    _certs_loaded = False

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load()
        return super().wrap_bio(*args, **kwargs)

    def _load(self) -> None:
        if not self._certs_loaded:
            self.load_default_certs(ssl.Purpose.SERVER_AUTH)
            self._certs_loaded = True


def lazy_default_context(purpose: ssl.Purpose = ssl.Purpose.SERVER_AUTH, **kwargs: Any) -> ssl.SSLContext:
    """Like ``ssl.create_default_context``; lazy only in the case apprise uses (no arguments)."""
    if purpose != ssl.Purpose.SERVER_AUTH or kwargs:
        return ssl.create_default_context(purpose, **kwargs)
    return LazyDefaultContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname, as the default


class _SslModule(types.ModuleType):
    """The ``ssl`` module as apprise's SMTP plugin sees it: everything real but the default context."""

    def __getattr__(self, name: str) -> Any:
        return getattr(ssl, name)


def install() -> bool:
    """Give apprise's SMTP plugin the lazy context; False when that module is not where it was."""
    try:
        # the e-mail plugin imports imghdr: see registry._register_builtin_channels
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="'imghdr' is deprecated", category=DeprecationWarning)
            plugin = importlib.import_module(_PLUGIN_MODULE)
    except ImportError:
        return False
    if isinstance(getattr(plugin, "ssl", None), _SslModule):
        return True
    if getattr(plugin, "ssl", None) is not ssl:
        return False
    shim = _SslModule("ssl")
    shim.create_default_context = lazy_default_context  # type: ignore[attr-defined]
    plugin.ssl = shim  # type: ignore[attr-defined]
    return True
