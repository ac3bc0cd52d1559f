"""The home announced to Home Assistant: the pure configs, then `python -m hub --ha-discovery`."""

import json
import re

import pytest

from hub.mqtt.ha_discovery import hub_discovery_messages
from protocol import Summary, Topics
from testkit.brokers import start_embedded_broker
from testkit.devices import start_device
from testkit.hub import Hub
from testkit.programs import ROOT

METERS = (
    "import_total_wh",
    "export_total_wh",
    "generation_total_wh",
    "battery_in_total_wh",
    "battery_out_total_wh",
)
FIELDS = ("power_w", *METERS)
TEMPLATE = re.compile(r"^\{\{ value_json\.(\w+) \}\}$")


HOME = Topics()


def configs(topics: Topics = HOME, home: str = "Test home") -> dict[str, dict]:
    return {topic: json.loads(payload) for topic, payload in hub_discovery_messages(topics, home)}


def template_value(template: str, summary: bytes) -> object:
    """What Home Assistant renders from the `{{ value_json.<field> }}` template."""
    match = TEMPLATE.match(template)
    assert match, f"not a plain field template: {template}"
    return json.loads(summary)[match.group(1)]


def test_one_sensor_per_field_under_home_assistants_prefix():
    assert list(configs()) == [f"homeassistant/sensor/hub/{field}/config" for field in FIELDS]


def test_the_meters_are_what_the_energy_dashboard_asks_for():
    by_field = {TEMPLATE.match(c["value_template"]).group(1): c for c in configs().values()}
    assert list(by_field) == list(FIELDS)
    for field in METERS:
        meter = by_field[field]
        assert (meter["device_class"], meter["state_class"], meter["unit_of_measurement"]) == (
            "energy",
            "total_increasing",
            "Wh",
        )
    power = by_field["power_w"]
    assert (power["device_class"], power["state_class"], power["unit_of_measurement"]) == (
        "power",
        "measurement",
        "W",
    )
    assert [by_field[f]["name"] for f in FIELDS] == [
        "Net power",
        "Grid import",
        "Grid export",
        "Solar generation",
        "Battery charged",
        "Battery discharged",
    ]


def test_every_sensor_reads_the_summary_under_the_root_and_belongs_to_the_home():
    found = configs(Topics("flat-3/home"), "Flat 3").values()
    for config in found:
        assert config["state_topic"] == "flat-3/home/hub/summary"
        assert config["availability_topic"] == "flat-3/home/hub/availability"
        assert config["device"] == {
            "identifiers": ["smarthome-sim-hub"],
            "name": "Flat 3",
            "model": "Energy hub",
            "manufacturer": "smarthome-energy simulator",
        }
    unique_ids = [config["unique_id"] for config in found]
    assert unique_ids == [f"hub-{field}" for field in FIELDS]


def test_the_templates_give_numbers_from_a_summary():
    summary = Summary(
        ts=1_763_900_000.0,
        power_w=-1500.0,
        import_w=0.0,
        export_w=1500.0,
        energy_today_wh=900.0,
        cost_today=0.1,
        currency="GBP",
        tariff_rate=0.25,
        devices_online=2,
        devices_total=2,
        load_w=500.0,
        generation_w=2000.0,
        import_total_wh=12.5,
        export_total_wh=340.0,
        generation_total_wh=1250.0,
        battery_in_total_wh=80.0,
        battery_out_total_wh=70.0,
    ).to_payload()
    values = [template_value(c["value_template"], summary) for c in configs().values()]
    assert values == [-1500.0, 12.5, 340.0, 1250.0, 80.0, 70.0]


def test_the_contract_shows_what_the_hub_publishes():
    doc = (ROOT / "docs" / "protocol.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", doc, re.DOTALL)
    example = next(json.loads(b) for b in blocks if "hub-import_total_wh" in b)
    assert example == configs(home="Our home")["homeassistant/sensor/hub/import_total_wh/config"]


@pytest.mark.integration
def test_the_hub_process_announces_the_home_retained(procs, mqtt_probe, tmp_path):
    broker = start_embedded_broker(procs)
    config = tmp_path / "home.toml"
    config.write_text('[home]\nname = "Announced home"\n')
    early = mqtt_probe(broker).connected()
    early.subscribe("homeassistant/#")
    early.subscribe("flat-3/hub/summary")
    early.subscribe("flat-3/l1/availability")
    Hub(procs, broker, tmp_path / "data", config, "--topic-root", "flat-3", "--ha-discovery")
    start_device(procs, broker, "light", "l1", "--topic-root", "flat-3")
    early.wait_message("flat-3/l1/availability", lambda m: m.payload == b"online", timeout=20)
    early.publish("flat-3/l1/set", b"ON")
    topics = [f"homeassistant/sensor/hub/{field}/config" for field in FIELDS]
    for topic in topics:
        early.wait_message(topic)
    # a Home Assistant that connects later still finds them: they are retained
    late = mqtt_probe(broker).connected()
    late.subscribe("homeassistant/sensor/hub/#")
    announced = {topic: late.wait_message(topic) for topic in topics}
    assert all(message.retain for message in announced.values())
    found = {topic: json.loads(message.payload) for topic, message in announced.items()}
    assert {c["device"]["name"] for c in found.values()} == {"Announced home"}
    assert {c["state_topic"] for c in found.values()} == {"flat-3/hub/summary"}

    def lit(message) -> bool:
        return Summary.from_payload(message.payload).power_w == 40.0

    summary = early.wait_message("flat-3/hub/summary", lit, timeout=20).payload
    values = {
        topic: template_value(config["value_template"], summary) for topic, config in found.items()
    }
    assert all(isinstance(v, int | float) for v in values.values()), values
    assert values[topics[0]] == 40.0  # the light at full brightness, all of it from the grid
    assert values[topics[2]] == 0.0  # nothing exported
