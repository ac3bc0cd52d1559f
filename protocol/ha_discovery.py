"""Home Assistant MQTT discovery: the pieces every config of ours is built from.

Devices announce their own sensors and switch, the hub announces the home's
grid meter; both speak Home Assistant's discovery format, so the device block,
the sensor shapes Home Assistant's Energy dashboard accepts and the encoding
are spelled here once.
"""

from __future__ import annotations

import json
from typing import NamedTuple

MANUFACTURER = "smarthome-energy simulator"
IDENTIFIER_PREFIX = "smarthome-sim-"


class SensorKind(NamedTuple):
    """What Home Assistant needs to treat a number as power or as a meter."""

    device_class: str
    state_class: str
    unit: str


POWER = SensorKind("power", "measurement", "W")
"""A momentary figure: graphed, never summed."""

ENERGY_METER = SensorKind("energy", "total_increasing", "Wh")
"""A lifetime counter: the Energy dashboard takes its increase per hour, and a
drop (a counter restarted) as a new cycle rather than negative energy."""


STATE_OF_CHARGE = SensorKind("battery", "measurement", "%")
"""A battery's state of charge."""


def ha_device(identifier: str, name: str, model: str, sw_version: str | None = None) -> dict:
    """The `device` block that groups a thing's entities in Home Assistant."""
    device = {
        "identifiers": [IDENTIFIER_PREFIX + identifier],
        "name": name,
        "model": model,
        "manufacturer": MANUFACTURER,
    }
    if sw_version is not None:
        device["sw_version"] = sw_version
    return device


def value_template(field: str) -> str:
    """The template that picks one field out of a JSON state payload."""
    return "{{ value_json." + field + " }}"


def sensor_config(
    common: dict, name: str, unique_id: str, state_topic: str, field: str, kind: SensorKind
) -> dict:
    """A sensor reading `field` of the JSON on `state_topic`; `common` holds the
    availability topic and the device block shared by a thing's entities."""
    return {
        **common,
        "name": name,
        "unique_id": unique_id,
        "state_topic": state_topic,
        "value_template": value_template(field),
        "device_class": kind.device_class,
        "state_class": kind.state_class,
        "unit_of_measurement": kind.unit,
    }


def encode_config(config: dict) -> bytes:
    """Compact JSON, as retained on the broker."""
    return json.dumps(config, separators=(",", ":")).encode()
