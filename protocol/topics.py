"""Topic names: the only place that knows how the contract spells them.

Building a topic validates the device id, so no caller can publish to a
wildcard or to another device's topics by accident; `Topics.parse` is the
first stage of the inbound gate and accepts exactly the topics of the
contract under the configured root.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from protocol.errors import ProtocolError
from protocol.fields import preview
from protocol.hub_payloads import Summary
from protocol.ids import validate_device_id, validate_topic_root

DEFAULT_ROOT = "home"
HUB_ID = "hub"
DEVICE_CHANNELS = frozenset({"meta", "availability", "state", "result", "set"})
HUB_CHANNELS = frozenset({"summary", "alerts", "clock", "availability", "prices", "plan"})
HA_DISCOVERY_PREFIX = "homeassistant"


@dataclass(frozen=True, slots=True)
class TopicRef:
    """A parsed topic: whose it is (a device id or ``"hub"``) and which channel."""

    device_id: str
    channel: str

    @property
    def is_hub(self) -> bool:
        return self.device_id == HUB_ID


class HaDiscoveryTopics(NamedTuple):
    """The retained Home Assistant discovery config topics of one device."""

    power_sensor: str
    energy_sensor: str
    switch: str


@dataclass(frozen=True, slots=True)
class Topics:
    """All topics under one root (``--topic-root``, default ``home``)."""

    root: str = DEFAULT_ROOT

    def __post_init__(self) -> None:
        validate_topic_root(self.root)

    def _device(self, device_id: str, channel: str) -> str:
        return f"{self.root}/{validate_device_id(device_id)}/{channel}"

    def meta(self, device_id: str) -> str:
        """Retained self-description, QoS 1."""
        return self._device(device_id, "meta")

    def availability(self, device_id: str) -> str:
        """Retained ``online``/``offline`` (the last will), QoS 1."""
        return self._device(device_id, "availability")

    def state(self, device_id: str) -> str:
        """Retained readings, QoS 0."""
        return self._device(device_id, "state")

    def result(self, device_id: str) -> str:
        """Replies to commands, not retained, QoS 1."""
        return self._device(device_id, "result")

    def set(self, device_id: str) -> str:
        """Where commands to the device are published."""
        return self._device(device_id, "set")

    @property
    def hub_availability(self) -> str:
        return f"{self.root}/{HUB_ID}/availability"

    @property
    def hub_summary(self) -> str:
        return f"{self.root}/{HUB_ID}/summary"

    @property
    def hub_alerts(self) -> str:
        return f"{self.root}/{HUB_ID}/alerts"

    @property
    def hub_clock(self) -> str:
        return f"{self.root}/{HUB_ID}/clock"

    @property
    def hub_plan(self) -> str:
        """The energy manager's plan (1.1), retained, QoS 1."""
        return f"{self.root}/{HUB_ID}/plan"

    @property
    def hub_manager_set(self) -> str:
        """Where the manager's strategy is set: ``{"strategy": "plan"}``."""
        return f"{self.root}/{HUB_ID}/manager/set"

    @property
    def hub_manager_result(self) -> str:
        """The answer to each ``manager/set``: ``{"ok": ..., "strategy": ...}``, QoS 1."""
        return f"{self.root}/{HUB_ID}/manager/result"

    @property
    def hub_prices(self) -> str:
        """Retained, QoS 1: the price series ahead (`protocol.Prices`)."""
        return f"{self.root}/{HUB_ID}/prices"

    # Subscription filters. Device-channel filters also match the hub's
    # topic of the same name (e.g. hub availability); `parse` tells them apart.

    @property
    def all_meta(self) -> str:
        return f"{self.root}/+/meta"

    @property
    def all_availability(self) -> str:
        return f"{self.root}/+/availability"

    @property
    def all_state(self) -> str:
        return f"{self.root}/+/state"

    @property
    def all_result(self) -> str:
        return f"{self.root}/+/result"

    @property
    def all_set(self) -> str:
        return f"{self.root}/+/set"

    @property
    def hub_all(self) -> str:
        """Every hub topic: ``<root>/hub/+``."""
        return f"{self.root}/{HUB_ID}/+"

    def device_channels(self, device_id: str) -> str:
        """Every topic of one device: ``<root>/<id>/+``."""
        return self._device(device_id, "+")

    def parse(self, topic: str) -> TopicRef:
        """Identify a topic of the contract under this root, or raise `ProtocolError`."""
        if not isinstance(topic, str):
            raise ProtocolError(f"topic must be a string, got {preview(topic)}")
        prefix = self.root + "/"
        if not topic.startswith(prefix):
            raise ProtocolError(f"topic {preview(topic)} is not under the root {self.root!r}")
        levels = topic[len(prefix) :].split("/")
        if len(levels) != 2:
            raise ProtocolError(
                f"topic {preview(topic)} must be {self.root}/<id>/<channel>, "
                f"got {len(levels)} levels after the root"
            )
        device_id, channel = levels
        if device_id == HUB_ID:
            if channel not in HUB_CHANNELS:
                raise ProtocolError(
                    f"topic {preview(topic)}: unknown hub channel {preview(channel)}; "
                    f"known: {', '.join(sorted(HUB_CHANNELS))}"
                )
            return TopicRef(device_id, channel)
        try:
            validate_device_id(device_id)
        except ProtocolError as exc:
            raise ProtocolError(f"topic {preview(topic)}: {exc}") from None
        if channel not in DEVICE_CHANNELS:
            raise ProtocolError(
                f"topic {preview(topic)}: unknown device channel {preview(channel)}; "
                f"known: {', '.join(sorted(DEVICE_CHANNELS))}"
            )
        return TopicRef(device_id, channel)


def ha_discovery_topics(device_id: str, prefix: str = HA_DISCOVERY_PREFIX) -> HaDiscoveryTopics:
    """The three Home Assistant discovery config topics for one device.

    They sit under Home Assistant's own prefix, not the topic root.
    """
    device_id = validate_device_id(device_id)
    prefix = validate_topic_root(prefix)
    return HaDiscoveryTopics(
        power_sensor=f"{prefix}/sensor/{device_id}/power/config",
        energy_sensor=f"{prefix}/sensor/{device_id}/energy/config",
        switch=f"{prefix}/switch/{device_id}/power/config",
    )


def ha_device_sensor_topic(device_id: str, sensor: str, prefix: str = HA_DISCOVERY_PREFIX) -> str:
    """The discovery config topic of one more sensor of a device beside the three above
    (a battery's ``energy_out`` and ``soc``): ``homeassistant/sensor/<id>/<sensor>/config``."""
    device_id = validate_device_id(device_id)
    prefix = validate_topic_root(prefix)
    return f"{prefix}/sensor/{device_id}/{sensor}/config"


def ha_hub_sensor_topic(field: str, prefix: str = HA_DISCOVERY_PREFIX) -> str:
    """The Home Assistant discovery config topic of the sensor that shows one
    summary field (``homeassistant/sensor/hub/<field>/config``).

    Only a field the summary has can be announced: the sensor reads it from
    the summary, so any other name would make a sensor that never has a value.
    """
    if field not in Summary.RULES:
        raise ProtocolError(f"{preview(field)} is not a field of the hub's summary")
    prefix = validate_topic_root(prefix)
    return f"{prefix}/sensor/{HUB_ID}/{field}/config"
