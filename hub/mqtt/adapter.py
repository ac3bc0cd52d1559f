"""The hub on MQTT: what arrives goes to the core thread untouched; what the core
decides (summaries, alerts, commands) goes out.

paho's callbacks do nothing but enqueue, so a burst of messages never blocks
the network loop. Readings, nearly all of the traffic, arrive through the
receiver process of `hub.mqtt.receiver` instead, in batches; the core checks them as
it checks everything else.

With `--ha-discovery` the hub also (re)announces the home to Home Assistant on
every connect: a broker restarted without persistence has forgotten the
retained configs, and Home Assistant would lose the home's grid meter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import paho.mqtt.client as mqtt

from common.mqtt import MqttSettings, connect_in_background, new_client, wait_published
from hub.controller import Feature, Inbox
from hub.core.events import AlertChanged, CommandIssued, Event, SummaryComputed
from hub.mqtt.receiver import ReadingReceiver
from protocol import OFFLINE, ONLINE, Clock, Topics

log = logging.getLogger("hub")


class HubMqtt(Feature):
    """A feature of the hub's controller, and its MQTT connection."""

    def __init__(
        self,
        settings: MqttSettings,
        topics: Topics,
        inbox: Inbox,
        published_clock: Clock | None = None,
        discovery: Sequence[tuple[str, bytes]] = (),
    ):
        self.settings = settings
        self.topics = topics
        self.inbox = inbox
        self.published_clock = published_clock
        self.discovery = discovery
        self.client = new_client(settings, "hub", topics.hub_availability)
        self.client.max_queued_messages_set(10_000)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.readings = ReadingReceiver(settings, topics, inbox.submit_messages)
        self._connected_once = False
        self._stopping = False
        self._retained: dict[str, bytes] = {}  # published again on every connect
        self._routes: dict[str, Callable[[bytes], None]] = {}

    def connected(self) -> bool:
        """Connected, and readings flow: both the hub's connection and its receiver's are up."""
        return self.client.is_connected() and self.readings.subscribed

    def route(self, topic: str, handler: Callable[[bytes], None]) -> None:
        """Subscribe to `topic` and hand its payloads to `handler` (on paho's thread: it
        must only enqueue) instead of the core: requests to a hub feature."""
        self._routes[topic] = handler

    def start(self) -> None:
        self.readings.start()
        connect_in_background(self.client, self.settings)

    def stop(self) -> None:
        self._stopping = True
        if self.client.is_connected():
            goodbye = self.client.publish(self.topics.hub_availability, OFFLINE, qos=1, retain=True)
            wait_published([goodbye], 2.0)
        self.client.disconnect()
        self.client.loop_stop()
        self.readings.stop()

    # ---- paho's thread ----------------------------------------------------------------

    def _on_connect(self, client, userdata, flags, reason, properties) -> None:
        if reason.is_failure:
            log.error("broker %s refused the hub: %s", self.settings.broker.url, reason)
            return
        log.info(
            "%s to %s",
            "reconnected" if self._connected_once else "connected",
            self.settings.broker.url,
        )
        self._connected_once = True
        t = self.topics
        channels = (t.all_meta, t.all_availability, t.all_result, t.hub_clock)
        client.subscribe([(channel, 1) for channel in (*channels, *self._routes)])
        client.publish(self.topics.hub_availability, ONLINE, qos=1, retain=True)
        if self.published_clock is not None:
            client.publish(
                self.topics.hub_clock, self.published_clock.to_payload(), qos=1, retain=True
            )
        for topic, config in self.discovery:
            client.publish(topic, config, qos=1, retain=True)
        for topic, payload in list(self._retained.items()):
            client.publish(topic, payload, qos=1, retain=True)

    def _on_disconnect(self, client, userdata, flags, reason, properties) -> None:
        if not self._stopping:
            log.warning("lost the broker (%s); reconnecting", reason)

    def _on_message(self, client, userdata, message: mqtt.MQTTMessage) -> None:
        handler = self._routes.get(message.topic)
        if handler is not None:
            handler(message.payload)
        else:
            self.inbox.submit_message(message.topic, message.payload)

    # ---- the core thread --------------------------------------------------------------

    def publish_retained(self, topic: str, payload: bytes) -> None:
        """Publish retained at QoS 1 now and again on every reconnect, as the clock is: a
        broker restarted without persistence has forgotten it (features' hub topics)."""
        self._retained[topic] = payload
        self.client.publish(topic, payload, qos=1, retain=True)

    def publish(self, topic: str, payload: bytes) -> None:
        """Publish once at QoS 1, not retained (a feature's answers)."""
        self.client.publish(topic, payload, qos=1, retain=False)

    def handle(self, event: Event) -> None:
        if isinstance(event, SummaryComputed):
            self.client.publish(
                self.topics.hub_summary, event.summary.to_payload(), qos=0, retain=True
            )
        elif isinstance(event, AlertChanged):
            self.client.publish(self.topics.hub_alerts, event.alert.to_payload(), qos=1)
        elif isinstance(event, CommandIssued):
            self.client.publish(self.topics.set(event.device_id), event.command.to_payload(), qos=1)
