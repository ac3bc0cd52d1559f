"""Puts device agents on MQTT and keeps their simulation time moving.

One thread (the caller's) does everything: the network I/O of every client
(devices/network.py), the agents, the models and the clock, so nothing needs a
lock. paho's callbacks run inside that I/O and only enqueue; the loop handles
the queue right after. The same runtime drives one device or a fleet of
hundreds in one process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import paho.mqtt.client as mqtt

from common.mqtt import MqttSettings, new_client
from devices.agent import DeviceAgent, Publish
from devices.network import NetworkLoop
from protocol import OFFLINE, ProtocolError, Topics
from protocol.sim_clock import SimClock

POLL_S = 0.25
"""How often models are advanced and checked for changes they made by themselves."""
SHUTDOWN_PUBLISH_TIMEOUT_S = 2.0

log = logging.getLogger("devices")


@dataclass(frozen=True)
class _Connected:
    member: _Member


@dataclass(frozen=True)
class _Message:
    member: _Member
    topic: str
    payload: bytes


@dataclass
class _Member:
    agent: DeviceAgent
    client: mqtt.Client
    was_connected: bool = False


class DeviceRuntime:
    def __init__(self, settings: MqttSettings, topics: Topics, clock: SimClock):
        self.settings = settings
        self.topics = topics
        self.clock = clock
        self.members: list[_Member] = []
        self.network = NetworkLoop(settings)
        self._events: deque[_Connected | _Message] = deque()
        self._stop = threading.Event()

    def add_device(self, device_id: str, make_agent: Callable[[Publish], DeviceAgent]) -> None:
        client = new_client(
            self.settings,
            client_id=f"{self.topics.root.replace('/', '_')}-{device_id}",
            availability_topic=self.topics.availability(device_id),
        )

        def publish(topic: str, payload: bytes, qos: int, retain: bool) -> None:
            # while the broker is away QoS 0 states are dropped; the model keeps counting
            client.publish(topic, payload, qos=qos, retain=retain)

        member = _Member(make_agent(publish), client)
        client.on_connect = lambda c, u, flags, reason, props: self._on_connect(member, reason)
        client.on_disconnect = lambda c, u, flags, reason, props: self._on_disconnect(
            member, reason
        )
        client.on_message = lambda c, u, message: self._events.append(
            _Message(member, message.topic, message.payload)
        )
        self.members.append(member)

    def stop(self) -> None:
        """Ask `run` to return; safe from a signal handler or another thread."""
        self._stop.set()
        self.network.wake()

    def run(self) -> None:
        """Connect every device and drive them until `stop`; then say goodbye cleanly."""
        for member in self.members:
            self.network.add(member.client)
        poll_s = min([POLL_S] + [m.agent.interval_s for m in self.members])
        next_poll = 0.0
        while not self._stop.is_set():
            real_now = time.time()
            if real_now >= next_poll:
                sim_now = self.clock.now(real_now)
                for member in self.members:
                    self._guarded(member, member.agent.tick, sim_now, real_now)
                next_poll = real_now + poll_s
            self.network.run_once(next_poll - time.time())
            self._handle_events()
        self._shutdown()

    def _handle_events(self) -> None:
        while self._events:
            self._handle(self._events.popleft())

    def _handle(self, event: _Connected | _Message) -> None:
        real_now = time.time()
        member = event.member
        if isinstance(event, _Connected):
            self._guarded(member, member.agent.connected, self.clock.now(real_now), real_now)
        elif event.topic == self.topics.hub_clock:
            self._follow_clock(event.payload, real_now)
        elif event.topic == self.topics.hub_summary:
            sim_now = self.clock.now(real_now)
            self._guarded(member, member.agent.summary, event.payload, sim_now, real_now)
        elif event.topic == self.topics.set(member.agent.device_id):
            sim_now = self.clock.now(real_now)
            self._guarded(member, member.agent.command, event.payload, sim_now, real_now)
        # anything else is a broker delivering what we never subscribed to: not ours

    def _follow_clock(self, payload: bytes, real_now: float) -> None:
        try:
            changed = self.clock.follow_payload(payload, real_now)
        except ProtocolError as exc:
            log.warning("ignoring the hub's clock: %s", exc)
            return
        if changed:
            source = "the hub's clock" if self.clock.following_hub else "a local clock"
            log.info("following %s at speed %g", source, self.clock.speed)

    def _guarded(self, member: _Member, action: Callable[..., object], *args: object) -> None:
        """Run an agent action; a bug in one device must not stop the others."""
        try:
            action(*args)
        except Exception:
            log.exception("%s: internal error (the device keeps running)", member.agent.device_id)

    def _on_connect(self, member: _Member, reason: mqtt.ReasonCode) -> None:
        device_id = member.agent.device_id
        if reason.is_failure:
            log.error(
                "%s: broker %s refused the connection: %s",
                device_id,
                self.settings.broker.url,
                reason,
            )
            return
        if member.was_connected:
            log.info("%s: reconnected to %s", device_id, self.settings.broker.url)
        member.was_connected = True
        # clean sessions: subscriptions are renewed on every connect
        topics = [(self.topics.set(device_id), 1), (self.topics.hub_clock, 1)]
        if member.agent.follows_summary:  # a battery follows the hub's net grid power
            topics.append((self.topics.hub_summary, 0))
        member.client.subscribe(topics)
        self._events.append(_Connected(member))

    def _on_disconnect(self, member: _Member, reason: mqtt.ReasonCode) -> None:
        if not self._stop.is_set():
            log.warning(
                "%s: lost the broker (%s); still simulating, reconnecting",
                member.agent.device_id,
                reason,
            )

    def _shutdown(self) -> None:
        goodbyes = [
            member.client.publish(
                self.topics.availability(member.agent.device_id), OFFLINE, qos=1, retain=True
            )
            for member in self.members
            if member.client.is_connected()
        ]
        # keep the loop turning until the broker has them (or it went away meanwhile)
        deadline = time.monotonic() + SHUTDOWN_PUBLISH_TIMEOUT_S
        while time.monotonic() < deadline and not all(g.is_published() for g in goodbyes):
            self.network.run_once(0.05)
        for member in self.members:
            self._guarded(member, member.agent.save_durably)
            member.client.disconnect()
        self.network.run_once(0.05)  # send the DISCONNECTs
        self.network.close()
