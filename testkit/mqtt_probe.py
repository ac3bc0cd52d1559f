"""A paho client for tests: records what it receives and waits for it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import paho.mqtt.client as mqtt

from testkit.brokers import BrokerEndpoint
from testkit.ports import wait_for


@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    retain: bool
    qos: int


class MqttProbe:
    """A paho client for tests: records what it receives and waits for it."""

    def __init__(
        self,
        broker: BrokerEndpoint,
        username: str | None = None,
        password: str | None = None,
        will: tuple[str, bytes] | None = None,
        client_id: str = "",
    ):
        self.broker = broker
        self.messages: list[Received] = []
        self._lock = threading.Lock()
        self._connack: mqtt.ReasonCode | None = None
        self._acks: dict[int, list] = {}
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        if username is not None:
            self.client.username_pw_set(username, password)
        if will is not None:
            self.client.will_set(will[0], will[1], qos=1, retain=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        self._connack = reason_code

    def _on_message(self, client, userdata, message) -> None:
        with self._lock:
            self.messages.append(
                Received(message.topic, message.payload, bool(message.retain), message.qos)
            )

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        self._acks[mid] = reason_codes

    def connect(self, timeout: float = 10.0) -> mqtt.ReasonCode:
        """Connect and return the broker's answer (success or the refusal)."""
        self.client.connect(self.broker.host, self.broker.port, keepalive=10)
        self.client.loop_start()
        return wait_for(lambda: self._connack, timeout, "CONNACK")

    def connected(self, timeout: float = 10.0) -> MqttProbe:
        reason = self.connect(timeout)
        assert not reason.is_failure, f"connection refused: {reason}"
        return self

    def subscribe(self, topic_filter: str, qos: int = 1) -> list:
        result, mid = self.client.subscribe(topic_filter, qos)
        assert result == mqtt.MQTT_ERR_SUCCESS
        return wait_for(lambda: self._acks.get(mid), 10, f"SUBACK for {topic_filter}")

    def publish(self, topic: str, payload: bytes | str, qos: int = 1, retain: bool = False) -> None:
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        info.wait_for_publish(10)

    def received(self, topic: str | None = None) -> list[Received]:
        with self._lock:
            return [m for m in self.messages if topic is None or m.topic == topic]

    def wait_message(
        self, topic: str, predicate: Callable[[Received], bool] = lambda m: True, timeout=10.0
    ) -> Received:
        def find() -> Received | None:
            return next((m for m in self.received(topic) if predicate(m)), None)

        return wait_for(find, timeout, f"a message on {topic}")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
