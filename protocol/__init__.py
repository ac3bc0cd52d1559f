"""The MQTT contract (version 1) of the simulated home, as code.

This package is the one place that knows topic names, device ids and payload
shapes; devices, the hub and the web layer import it and never spell a topic
or a JSON key themselves. It imports only the standard library.

Promises:

- every check of untrusted input raises `ProtocolError` (a `ValueError`) and
  nothing else, with a message that names the field, the rule and the value;
- payload objects are frozen and always valid: constructing one runs the same
  checks as parsing one, and ``Cls.from_payload(obj.to_payload()) == obj``;
- readers ignore payload fields they do not know, so producers may add
  optional fields without breaking anyone (the contract's only way to change).
"""

from protocol.errors import ProtocolError
from protocol.fields import MAX_PAYLOAD_BYTES
from protocol.ids import (
    DEVICE_ID_PATTERN,
    RESERVED_IDS,
    is_valid_device_id,
    validate_device_id,
    validate_topic_root,
)
from protocol.payloads import (
    ALERT_LEVELS,
    ALERT_STATES,
    COMMAND_KEYS,
    CONSUMER,
    OFFLINE,
    ONLINE,
    PRODUCER,
    PROTOCOL_VERSION,
    RESULT_RAW_MAX_CHARS,
    STORAGE,
    Alert,
    Clock,
    Command,
    CommandResult,
    Meta,
    Prices,
    PriceSlot,
    State,
    Summary,
    parse_availability,
)
from protocol.sim_clock import SimClock
from protocol.topics import (
    DEFAULT_ROOT,
    DEVICE_CHANNELS,
    HUB_CHANNELS,
    HUB_ID,
    HaDiscoveryTopics,
    TopicRef,
    Topics,
    ha_device_sensor_topic,
    ha_discovery_topics,
    ha_hub_sensor_topic,
)

__all__ = [
    "ALERT_LEVELS",
    "ALERT_STATES",
    "COMMAND_KEYS",
    "CONSUMER",
    "DEFAULT_ROOT",
    "DEVICE_CHANNELS",
    "DEVICE_ID_PATTERN",
    "HUB_CHANNELS",
    "HUB_ID",
    "MAX_PAYLOAD_BYTES",
    "OFFLINE",
    "ONLINE",
    "PRODUCER",
    "PROTOCOL_VERSION",
    "RESERVED_IDS",
    "RESULT_RAW_MAX_CHARS",
    "STORAGE",
    "Alert",
    "Clock",
    "Command",
    "CommandResult",
    "HaDiscoveryTopics",
    "Meta",
    "PriceSlot",
    "Prices",
    "ProtocolError",
    "SimClock",
    "State",
    "Summary",
    "TopicRef",
    "Topics",
    "ha_device_sensor_topic",
    "ha_discovery_topics",
    "ha_hub_sensor_topic",
    "is_valid_device_id",
    "parse_availability",
    "validate_device_id",
    "validate_topic_root",
]
