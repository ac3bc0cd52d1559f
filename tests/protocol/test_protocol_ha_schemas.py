"""Our discovery configs, judged by Home Assistant 2024.3's own schemas and tables.

The first run builds Home Assistant's venv (about a minute), later runs reuse
it; see tests/ha_schema.py.
"""

import json

import pytest
from ha_schema import ha_problems

from devices.ha_discovery import discovery_messages
from hub.mqtt.ha_discovery import hub_discovery_messages
from protocol import CONSUMER, PRODUCER, STORAGE, Meta, Topics

# the first test builds the cached venv; pip alone may need minutes on a loaded machine
pytestmark = pytest.mark.timeout(600)


def meta(device_id: str, role: str) -> Meta:
    return Meta(
        id=device_id,
        name=device_id.replace("-", " ").title(),
        kind={PRODUCER: "solar", STORAGE: "battery"}.get(role, "fridge"),
        role=role,
        rated_w=4000.0 if role == PRODUCER else 120.0,
        standby_w=0.0,
        dimmable=False,
        interval_s=1.0,
        priority=2,
        sw="smarthome-sim 1.0",
    )


def test_home_assistant_takes_every_config_of_ours():
    topics = Topics("flat-3/home")
    messages = [
        *discovery_messages(meta("kitchen-fridge", CONSUMER), topics),
        *discovery_messages(meta("roof-solar", PRODUCER), topics),
        *discovery_messages(meta("home-battery", STORAGE), topics),
        *hub_discovery_messages(topics, "Flat 3"),
    ]
    verdicts = ha_problems(messages)
    assert list(verdicts) == [topic for topic, _ in messages]
    assert verdicts == {topic: [] for topic, _ in messages}


def test_the_check_catches_what_home_assistant_would_refuse_or_ignore():
    """The check can fail: each of these configs breaks one rule Home Assistant has."""
    topic, good = hub_discovery_messages(Topics(), "Home")[1]
    config = json.loads(good)

    def variant(**changes) -> bytes:
        return json.dumps({**config, **changes}).encode()

    typo = {k: v for k, v in config.items() if k != "unit_of_measurement"}
    typo["unit_of_measurment"] = "Wh"
    cases = {
        "homeassistant/sensor/hub/typo/config": json.dumps(typo).encode(),
        "homeassistant/sensor/hub/meter/config": variant(state_class="measurement"),
        "homeassistant/sensor/hub/unit/config": variant(unit_of_measurement="W"),
        "homeassistant/sensor/hub/template/config": variant(value_template="{{ value_json.x "),
        "homeassistant/sensor/hub/topic/config": variant(state_topic="home/#/summary"),
        "homeassistant/sensor/hub/bad id/config": good,
    }
    verdicts = ha_problems(list(cases.items()))
    assert all(verdicts[topic] for topic in cases), verdicts
    assert "unit_of_measurment" in " ".join(verdicts["homeassistant/sensor/hub/typo/config"])
    assert ha_problems([(topic, good)]) == {topic: []}
