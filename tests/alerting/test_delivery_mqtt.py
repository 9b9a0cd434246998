"""``mqtt://`` through apprise to the machine's Mosquitto on 127.0.0.1:1883, read back with paho-mqtt."""

from __future__ import annotations

import secrets
import socket
import threading
from collections.abc import Iterator

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from monitor.alerting import Deliverer
from monitor.settings.models import DeliverySettings

from .builders import NOW, article, match, outbox_item, planned, subscriber

pytestmark = pytest.mark.slow
BROKER = ("127.0.0.1", 1883)


class Subscription:
    """A paho client subscribed to one topic, collecting what arrives."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.messages: list[bytes] = []
        self._arrived = threading.Condition()
        self.subscribed = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2)
        self.client.on_connect = lambda client, *_: client.subscribe(topic, qos=1)
        self.client.on_subscribe = lambda *_: self.subscribed.set()
        self.client.on_message = self._on_message

    def _on_message(self, _client: object, _userdata: object, message: mqtt.MQTTMessage) -> None:
        with self._arrived:
            self.messages.append(bytes(message.payload))
            self._arrived.notify_all()

    def wait_for(self, count: int, timeout_s: float = 5.0) -> list[bytes]:
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.messages) >= count, timeout_s), self.messages
            return list(self.messages)


@pytest.fixture
def subscription() -> Iterator[Subscription]:
    try:
        socket.create_connection(BROKER, timeout=1).close()
    except OSError:
        pytest.fail("Mosquitto is not listening on 127.0.0.1:1883 (start it: the mqtt:// test needs it)")
    topic = f"newsmon/test/{secrets.token_hex(4)}"
    found = Subscription(topic)
    found.client.connect(*BROKER)
    found.client.loop_start()
    assert found.subscribed.wait(5)
    yield found
    found.client.loop_stop()
    found.client.disconnect()


async def test_an_alert_is_published_to_the_mqtt_topic(subscription: Subscription) -> None:
    channel = f"mqtt://127.0.0.1:1883/{subscription.topic}"
    [request] = planned(match(), article(), [subscriber(urls=(channel,))])
    assert request.body_format == "text"

    deliverer = Deliverer(DeliverySettings(timeout_s=5))
    result = await deliverer.deliver(outbox_item(request), request.channel, NOW)

    assert result.ok, result.error
    [payload] = subscription.wait_for(1)
    text = payload.decode()
    assert text.startswith(request.title)
    assert "About: Acme Oil" in text and "target: ORG 'Acme Oil' in the same sentence" in text
