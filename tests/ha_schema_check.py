"""Judge MQTT discovery messages the way Home Assistant does; runs in HA's own venv.

Reads ``[[topic, payload], ...]`` as JSON on stdin and prints
``{topic: [problem, ...]}``: an empty list means Home Assistant takes the
config as it is. The steps are Home Assistant's own (2024.3,
homeassistant/components/mqtt/discovery.py `async_discovery_message_received`):
the topic must match its discovery pattern and name a supported component; the
abbreviated keys are expanded with its tables; then the platform's schema
decides. The strict `PLATFORM_SCHEMA_MODERN` is used besides `DISCOVERY_SCHEMA`
because the latter silently drops keys it does not know, which would hide a
misspelt key. A sensor's unit and state class are checked against the sensor
integration's tables for its device class, which is what the Energy dashboard
requires of a meter. Imports nothing of this project: it runs where only
Home Assistant is installed.
"""

import json
import sys

import voluptuous as vol
from homeassistant.components.mqtt import sensor, switch
from homeassistant.components.mqtt.abbreviations import ABBREVIATIONS, DEVICE_ABBREVIATIONS
from homeassistant.components.mqtt.discovery import SUPPORTED_COMPONENTS, TOPIC_MATCHER
from homeassistant.components.sensor.const import (
    DEVICE_CLASS_STATE_CLASSES,
    DEVICE_CLASS_UNITS,
    SensorDeviceClass,
)

PREFIX = "homeassistant/"
PLATFORMS = {"sensor": sensor, "switch": switch}


def expanded(config: dict) -> dict:
    """The config with Home Assistant's abbreviations expanded, as its discovery does."""
    result = {ABBREVIATIONS.get(key, key): value for key, value in config.items()}
    if isinstance(result.get("device"), dict):
        result["device"] = {
            DEVICE_ABBREVIATIONS.get(key, key): value for key, value in result["device"].items()
        }
    return result


def sensor_problems(config: dict) -> list[str]:
    device_class = config.get("device_class")
    if device_class is None:
        return []
    device_class = SensorDeviceClass(device_class)
    problems = []
    unit, state_class = config.get("unit_of_measurement"), config.get("state_class")
    if unit not in DEVICE_CLASS_UNITS.get(device_class, set()):
        problems.append(f"unit {unit!r} is not one for device class {device_class}")
    if state_class not in DEVICE_CLASS_STATE_CLASSES.get(device_class, set()):
        problems.append(f"state class {state_class!r} is not one for device class {device_class}")
    return problems


def problems(topic: str, payload: str) -> list[str]:
    match = TOPIC_MATCHER.match(topic.removeprefix(PREFIX)) if topic.startswith(PREFIX) else None
    if match is None:
        return [f"not a discovery topic: {topic}"]
    component = match.group("component")
    if component not in SUPPORTED_COMPONENTS or component not in PLATFORMS:
        return [f"component {component!r} is not checked here"]
    try:
        config = expanded(json.loads(payload))
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    platform = PLATFORMS[component]
    found = []
    for name in ("DISCOVERY_SCHEMA", "PLATFORM_SCHEMA_MODERN"):
        try:
            getattr(platform, name)(dict(config))
        except vol.Invalid as exc:
            found.append(f"{name}: {exc}")
    if component == "sensor" and not found:
        found += sensor_problems(config)
    return found


def main() -> None:
    messages = json.load(sys.stdin)
    json.dump({topic: problems(topic, payload) for topic, payload in messages}, sys.stdout)


if __name__ == "__main__":
    main()
