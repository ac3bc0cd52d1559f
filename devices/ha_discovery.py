"""Home Assistant MQTT discovery configs, so a real Home Assistant shows the simulated home.

Retained under `homeassistant/...`; each points at the contract's own topics,
so Home Assistant reads exactly what the hub reads.
"""

import json

from protocol import Meta, Topics, ha_discovery_topics


def discovery_messages(meta: Meta, topics: Topics) -> list[tuple[str, bytes]]:
    """(topic, payload) of the power sensor, the energy sensor and the switch."""
    device_id = meta.id
    target = ha_discovery_topics(device_id)
    common = {
        "availability_topic": topics.availability(device_id),
        "device": {
            "identifiers": [f"smarthome-sim-{device_id}"],
            "name": meta.name,
            "model": meta.kind,
            "manufacturer": "smarthome-energy simulator",
            "sw_version": meta.sw,
        },
    }
    power = {
        **common,
        "name": "Power",
        "unique_id": f"{device_id}-power",
        "state_topic": topics.state(device_id),
        "value_template": "{{ value_json.power_w }}",
        "device_class": "power",
        "state_class": "measurement",
        "unit_of_measurement": "W",
    }
    energy = {
        **common,
        "name": "Energy",
        "unique_id": f"{device_id}-energy",
        "state_topic": topics.state(device_id),
        "value_template": "{{ value_json.energy_wh }}",
        "device_class": "energy",
        "state_class": "total_increasing",
        "unit_of_measurement": "Wh",
    }
    switch = {
        **common,
        "name": "Power switch",
        "unique_id": f"{device_id}-switch",
        "state_topic": topics.state(device_id),
        "value_template": "{{ 'ON' if value_json.on else 'OFF' }}",
        "command_topic": topics.set(device_id),
        "payload_on": "ON",
        "payload_off": "OFF",
        "state_on": "ON",
        "state_off": "OFF",
    }
    return [
        (target.power_sensor, _encode(power)),
        (target.energy_sensor, _encode(energy)),
        (target.switch, _encode(switch)),
    ]


def _encode(config: dict) -> bytes:
    return json.dumps(config, separators=(",", ":")).encode()
