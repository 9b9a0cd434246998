"""apprise's SMTP plugin gets a default TLS context that reads the CA bundle only for encrypted sessions:
plain SMTP to a local relay skips ~20 ms of CPU per mail; an encrypted one verifies exactly as before."""

from __future__ import annotations

import importlib
import ssl

from monitor.alerting import registry, tls

# imported by the registry's set-up already (with apprise's imghdr deprecation warning silenced)
apprise_smtp = importlib.import_module("apprise.plugins.email.smtp")
assert registry.apprise.plugins.email.smtp is apprise_smtp


def test_apprise_smtp_builds_the_lazy_context_and_the_rest_of_ssl_is_untouched() -> None:
    assert tls.install()  # idempotent: the registry installed it when apprise was set up
    context = apprise_smtp.ssl.create_default_context()
    assert isinstance(context, tls.LazyDefaultContext)
    assert apprise_smtp.ssl.CERT_NONE is ssl.CERT_NONE and apprise_smtp.ssl.SSLError is ssl.SSLError


def test_the_context_verifies_like_the_default_and_loads_certificates_before_any_handshake() -> None:
    lazy, default = tls.lazy_default_context(), ssl.create_default_context()
    assert (lazy.verify_mode, lazy.check_hostname, lazy.protocol) == (
        default.verify_mode,
        default.check_hostname,
        default.protocol,
    )
    assert lazy.cert_store_stats()["x509_ca"] == 0  # nothing read yet: plain SMTP never pays for it
    lazy.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="smtp.example.com")
    assert lazy.cert_store_stats() == default.cert_store_stats()


def test_an_explicit_purpose_or_ca_file_gets_the_standard_context() -> None:
    assert type(tls.lazy_default_context(ssl.Purpose.CLIENT_AUTH)) is ssl.SSLContext
