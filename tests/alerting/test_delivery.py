"""Delivery through apprise to real receivers on 127.0.0.1: success, failure with a reason, and a retry."""

from __future__ import annotations

import socket
import time

from monitor.alerting import Deliverer, send_test
from monitor.settings.models import DeliverySettings
from tests.support.smtp import RECIPIENT, SmtpReceiver
from tests.support.webhook import WebhookReceiver

from .builders import NOW, article, match, outbox_item, planned, subscriber


async def test_a_mail_alert_is_multipart_text_and_html_with_feed_markup_escaped(smtp: SmtpReceiver) -> None:
    hostile = article(title='Acme <script>alert("x")</script> & <b>Co</b>')
    [request] = planned(match(), hostile, [subscriber(urls=(smtp.url(),))])
    assert request.body_format == "html"  # format "auto": what apprise's e-mail service prefers

    result = await Deliverer(DeliverySettings()).deliver(outbox_item(request, id=7), request.channel, NOW)

    assert (result.outbox_id, result.ok, result.error, result.attempted_at) == (7, True, None, NOW)
    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == request.title
    assert mail["To"] == RECIPIENT
    assert mail.get_content_type() == "multipart/alternative"
    text_part, html_part = mail.get_body(("plain",)), mail.get_body(("html",))
    assert text_part is not None and html_part is not None
    html = html_part.get_content()
    assert "<script>" not in html and "<b>Co</b>" not in html
    assert "Acme &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in html
    assert '<a href="https://wire.example.com/news/acme-oil">' in html
    text = text_part.get_content()
    for expected in (
        "New sanctions announced (high)",
        "About: Acme Oil",
        "Energy Wire",
        "action: 'designate' in summary",  # why it matched: the explanation, in both parts
        "target: ORG 'Acme Oil' in the same sentence",
    ):
        assert expected in text
    assert "target: ORG &#39;Acme Oil&#39; in the same sentence" in html


async def test_a_markdown_alert_arrives_as_html_with_feed_markup_inert(smtp: SmtpReceiver) -> None:
    hostile = article(title="*Breaking* [click](https://evil.example.com) <b>now</b>")
    [request] = planned(match(), hostile, [subscriber(urls=(smtp.url(),), format="markdown")])

    assert (await Deliverer(DeliverySettings()).deliver(outbox_item(request), request.channel, NOW)).ok

    [mail] = smtp.wait_for(1)
    html_part = mail.get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "*Breaking* [click](https://evil.example.com) &lt;b&gt;now&lt;/b&gt;" in html
    assert 'href="https://evil.example.com"' not in html
    assert "<strong>New sanctions announced</strong>" in html


async def test_a_webhook_receives_the_alert_as_json(webhook: WebhookReceiver) -> None:
    [request] = planned(match(), article(), [subscriber(urls=(webhook.url("/alerts"),))])

    result = await Deliverer(DeliverySettings()).deliver(outbox_item(request), request.channel, NOW)

    assert result.ok
    [post] = webhook.wait_for(1)
    assert post.path == "/alerts"
    assert post.json["title"] == request.title
    assert post.json["message"] == request.body
    assert post.headers["content-type"].startswith("application/json")


async def test_nothing_listening_is_a_failed_delivery_with_a_reason() -> None:
    port = _closed_port()
    channel = f"mailto://127.0.0.1:{port}?from=newsmon@example.com&to=analyst@example.com"
    [request] = planned(match(), article(), [subscriber(urls=(channel,))])

    result = await Deliverer(DeliverySettings()).deliver(outbox_item(request), request.channel, NOW)

    assert not result.ok
    assert result.error is not None and "Connection error" in result.error and "127.0.0.1" in result.error


async def test_a_refused_mail_fails_and_the_retry_delivers_it_once(smtp: SmtpReceiver) -> None:
    [request] = planned(match(), article(), [subscriber(urls=(smtp.url(),))])
    item = outbox_item(request)
    deliverer = Deliverer(DeliverySettings())

    smtp.reject = "451 4.3.0 try again later"
    failed = await deliverer.deliver(item, request.channel, NOW)
    smtp.reject = None
    retried = await deliverer.deliver(item, request.channel, NOW)

    assert (failed.ok, retried.ok) == (False, True)
    assert failed.error
    assert len(smtp.wait_for(1)) == 1 and len(smtp.messages) == 1


async def test_a_server_that_comes_back_gets_the_alert(smtp: SmtpReceiver) -> None:
    [request] = planned(match(), article(), [subscriber(urls=(smtp.url(),))])
    deliverer = Deliverer(DeliverySettings())

    smtp.stop()
    down = await deliverer.deliver(outbox_item(request), request.channel, NOW)
    smtp.start()
    up = await deliverer.deliver(outbox_item(request, attempts=1), request.channel, NOW)

    assert (down.ok, up.ok) == (False, True)
    assert [mail["Subject"] for mail in smtp.wait_for(1)] == [request.title]


async def test_a_webhook_error_status_is_a_failed_delivery(webhook: WebhookReceiver) -> None:
    webhook.status = 503
    [request] = planned(match(), article(), [subscriber(urls=(webhook.url(),))])

    result = await Deliverer(DeliverySettings()).deliver(outbox_item(request), request.channel, NOW)

    assert not result.ok
    assert result.error is not None and "503" in result.error


async def test_a_channel_slower_than_the_timeout_is_waited_for_not_abandoned(
    webhook: WebhookReceiver,
) -> None:
    # issue 12, finding 4: a send given up at timeout_s went on, was retried, and arrived 8 times
    webhook.delay_s = 2.0
    [request] = planned(match(), article(), [subscriber(urls=(webhook.url(),))])

    result = await Deliverer(DeliverySettings(timeout_s=0.5)).deliver(
        outbox_item(request), request.channel, NOW
    )

    assert result.ok
    assert len(webhook.wait_for(1)) == 1


async def test_a_channel_slower_than_give_up_fails_by_its_own_socket_timeout(
    webhook: WebhookReceiver,
) -> None:
    webhook.delay_s = 3.0
    [request] = planned(match(), article(), [subscriber(urls=(webhook.url(),))])

    started = time.monotonic()
    policy = DeliverySettings(timeout_s=0.5, give_up_s=1.0)
    result = await Deliverer(policy).deliver(outbox_item(request), request.channel, NOW)

    assert time.monotonic() - started < 2.8
    assert not result.ok


async def test_an_unusable_channel_url_is_a_failed_delivery_not_an_exception() -> None:
    [request] = planned(match(), article(), [subscriber(urls=("bogus://s3cret",))])

    result = await Deliverer(DeliverySettings()).deliver(outbox_item(request), request.channel, NOW)

    assert not result.ok
    assert result.error == "not a usable channel URL: bogus://***"


def test_send_test_reports_each_channel(smtp: SmtpReceiver) -> None:
    broken = f"json://127.0.0.1:{_closed_port()}/hook"
    results = send_test(subscriber("desk", urls=(smtp.url(), broken)))

    assert [(url, ok) for url, ok, _ in results] == [(results[0][0], True), (results[1][0], False)]
    assert results[0][0].startswith(f"mailto://127.0.0.1:{smtp.port}")
    assert results[1][2]
    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == "newsmon test notification"
    assert "subscriber desk receives newsmon alerts" in mail.get_content()


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_a_refused_smtp_login_says_authentication_failed_not_connection_error() -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    def refuse(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
        return AuthResult(success=False, handled=False)

    port = _closed_port()
    controller = Controller(
        object(), hostname="127.0.0.1", port=port, authenticator=refuse, auth_require_tls=False
    )
    controller.start()
    try:
        url = f"mailto://newsmon:wr0ngpass@127.0.0.1:{port}?from=newsmon@example.com&to={RECIPIENT}"
        [request] = planned(match(), article(), [subscriber(urls=(url,))])
        deliverer = Deliverer(DeliverySettings(timeout_s=5))
        result = await deliverer.deliver(outbox_item(request), request.channel, NOW)
    finally:
        controller.stop()

    assert not result.ok and result.error is not None
    assert "authentication failed" in result.error and "535" in result.error
    assert "Connection error" not in result.error and "wr0ngpass" not in result.error
