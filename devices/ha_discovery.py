"""Home Assistant MQTT discovery configs, so a real Home Assistant shows the simulated home.

Retained under `homeassistant/...`; each points at the contract's own topics,
so Home Assistant reads exactly what the hub reads.
"""

from protocol import STORAGE, Meta, Topics, ha_device_sensor_topic, ha_discovery_topics
from protocol.ha_discovery import (
    ENERGY_METER,
    POWER,
    STATE_OF_CHARGE,
    encode_config,
    ha_device,
    sensor_config,
)


def discovery_messages(meta: Meta, topics: Topics) -> list[tuple[str, bytes]]:
    """(topic, payload) of the power sensor, the energy sensor and the switch; a storage
    device adds its discharge power, its energy delivered (the second meter Home
    Assistant's Energy dashboard asks of a battery) and its state of charge."""
    device_id = meta.id
    target = ha_discovery_topics(device_id)
    common = {
        "availability_topic": topics.availability(device_id),
        "device": ha_device(device_id, meta.name, meta.kind, meta.sw),
    }
    state = topics.state(device_id)
    power = sensor_config(common, "Power", f"{device_id}-power", state, "power_w", POWER)
    energy = sensor_config(
        common, "Energy", f"{device_id}-energy", state, "energy_wh", ENERGY_METER
    )
    switch = {
        **common,
        "name": "Power switch",
        "unique_id": f"{device_id}-switch",
        "state_topic": state,
        "value_template": "{{ 'ON' if value_json.on else 'OFF' }}",
        "command_topic": topics.set(device_id),
        "payload_on": "ON",
        "payload_off": "OFF",
        "state_on": "ON",
        "state_off": "OFF",
    }
    messages = [
        (target.power_sensor, encode_config(power)),
        (target.energy_sensor, encode_config(energy)),
        (target.switch, encode_config(switch)),
    ]
    if meta.role == STORAGE:
        extra = (
            ("discharge", "Discharge power", "discharge_w", POWER),
            ("energy_out", "Energy delivered", "energy_out_wh", ENERGY_METER),
            ("soc", "State of charge", "soc_pct", STATE_OF_CHARGE),
        )
        for sensor, name, field, kind in extra:
            config = sensor_config(common, name, f"{device_id}-{sensor}", state, field, kind)
            messages.append((ha_device_sensor_topic(device_id, sensor), encode_config(config)))
    return messages
