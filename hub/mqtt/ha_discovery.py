"""Home Assistant discovery configs for the home itself, so its Energy dashboard
fills its Grid and Solar sections with no setup.

The devices announce their own sensors; only the hub knows what crosses the
grid meter. Each sensor reads one field of the retained summary, and the
lifetime meters (`*_total_wh`, kept across hub restarts) are exactly what the
Energy dashboard asks for: energy, `total_increasing`, in Wh.
"""

from __future__ import annotations

from typing import NamedTuple

from protocol import HUB_ID, Topics, ha_hub_sensor_topic
from protocol.ha_discovery import (
    ENERGY_METER,
    POWER,
    SensorKind,
    encode_config,
    ha_device,
    sensor_config,
)


class HubSensor(NamedTuple):
    field: str
    name: str
    kind: SensorKind


HUB_SENSORS = (
    HubSensor("power_w", "Net power", POWER),
    HubSensor("import_total_wh", "Grid import", ENERGY_METER),
    HubSensor("export_total_wh", "Grid export", ENERGY_METER),
    HubSensor("generation_total_wh", "Solar generation", ENERGY_METER),
    HubSensor("battery_in_total_wh", "Battery charged", ENERGY_METER),
    HubSensor("battery_out_total_wh", "Battery discharged", ENERGY_METER),
)
"""What the hub announces: the net power at the grid meter (negative while
exporting) and the lifetime meters of the Energy dashboard (grid, solar, battery)."""


def hub_discovery_messages(topics: Topics, home_name: str) -> list[tuple[str, bytes]]:
    """(topic, retained payload) of every sensor in `HUB_SENSORS`, for the home
    called `home_name`, reading the summary under `topics`' root."""
    common = {
        "availability_topic": topics.hub_availability,
        "device": ha_device(HUB_ID, home_name, "Energy hub"),
    }
    return [
        (
            ha_hub_sensor_topic(sensor.field),
            encode_config(
                sensor_config(
                    common,
                    sensor.name,
                    f"{HUB_ID}-{sensor.field}",
                    topics.hub_summary,
                    sensor.field,
                    sensor.kind,
                )
            ),
        )
        for sensor in HUB_SENSORS
    ]
