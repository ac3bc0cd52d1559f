"""The live home with the energy manager on `plan`, end to end: `home up` at 1440 times
real time with a battery, a car and a smart-start washer on Economy 7. The hub publishes
its plan on home/hub/plan; its commands reach the battery, the car (when it comes home)
and the washer (when it is loaded) over the real broker; each device answers ok; the log
holds each command as the manager's, with its answer; and home/hub/manager/set switches
the strategy (a bad one refused), which clears the retained plan.

The household is chosen, not waited for: of the home seeds, the first whose car comes
home and whose washer is loaded within the next `WITHIN_H` simulated hours, so the test
takes a minute whatever the time of day it runs."""

from __future__ import annotations

import json
import sqlite3
import time
from zoneinfo import ZoneInfo

import pytest

from home.models import model_of
from hub.config.load import parse_config
from hub.store.database import db_path
from testkit import configs
from testkit.launcher import start_home
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for

SPEED = 1440.0
WITHIN_H = 18.0
ZONE = "Europe/London"
HOME = (
    f'[home]\ntimezone = "{ZONE}"\n[tariff]\nexport_rate = 0.15\n'
    + configs.ECONOMY_7
    + '[manager]\nstrategy = "plan"\n'
    + configs.device("home-battery", "battery")
    + configs.device("driveway-ev", "ev_charger")
    + 'arrival_soc = 40\nmode = "smart"\nbattery_kwh = 40\n'
    + configs.device("washing-machine", "washing_machine")
    + "smart_start = true\n"
)
MANAGED = ("home-battery", "driveway-ev", "washing-machine")


def a_household_soon(now: float) -> int:
    """The first home seed whose car comes home and whose washer is loaded soon."""
    config = parse_config(HOME)
    entries = {entry.id: entry for entry in config.devices}
    soon = now + WITHIN_H * 3600
    for seed in range(1, 200):
        car = model_of(entries["driveway-ev"], seed, now, ZoneInfo(ZONE))
        washer = model_of(entries["washing-machine"], seed, now, ZoneInfo(ZONE))
        arrival = _next_arrival(car, now)
        load = washer.schedule.next_use(now + 60)
        if arrival is not None and arrival < soon and load is not None and load.start < soon:
            return seed
    pytest.fail("no household of 200 brings the car home and loads the washer soon")


def _next_arrival(car, t: float) -> float | None:
    use = car.schedule.next_use(t + 60)
    while use is not None and use.start < t + 2 * 86400:
        if not car._is_departure(use.start):
            return use.start
        use = car.schedule.next_use(use.start + 1)
    return None


@pytest.mark.integration
def test_the_plan_is_published_and_carried_out_over_mqtt(procs, tmp_path):
    config = tmp_path / "home.toml"
    config.write_text(HOME)
    seed = a_household_soon(time.time())
    data = tmp_path / "data"
    home = start_home(
        procs, data, "--config", str(config), "--speed", f"{SPEED:g}", "--seed", str(seed)
    )
    home.wait_answering()
    probe = MqttProbe(home.broker).connected()
    for topic in ("home/hub/plan", "home/+/set", "home/+/result"):
        probe.subscribe(topic)

    def plan() -> dict | None:
        """The retained plan as it stands (None before the first, and once cleared)."""
        plans = probe.received("home/hub/plan")
        return json.loads(plans[-1].payload) if plans and plans[-1].payload else None

    published = wait_for(plan, 60, "a plan on home/hub/plan")
    assert published["strategy"] == "plan" and published["slots"]
    assert published["expected_cost"] <= published["baseline_cost"] + 1e-6

    def answered() -> dict[str, list[dict]]:
        sent = {m.topic.split("/")[1] for m in probe.received() if m.topic.endswith("/set")}
        results: dict[str, list[dict]] = {}
        for message in probe.received():
            device = message.topic.split("/")[1]
            if message.topic.endswith("/result") and device in sent:
                results.setdefault(device, []).append(json.loads(message.payload))
        return results if set(MANAGED) <= set(results) else {}

    results = wait_for(answered, WITHIN_H * 3600 / SPEED + 30, "the manager's commands answered")
    for device in MANAGED:
        assert all(result["ok"] for result in results[device]), (device, results[device])

    probe.subscribe("home/hub/manager/result")  # switched over MQTT, as anyone can
    for request, ok in ((b'{"strategy": "rules"}', True), (b'{"strategy": "best"}', False)):
        probe.publish("home/hub/manager/set", request)
        said = probe.wait_message(
            "home/hub/manager/result", lambda m, ok=ok: json.loads(m.payload)["ok"] is ok, 20
        )
        answer = json.loads(said.payload)
        assert (answer["ok"], answer["strategy"]) == (ok, "rules"), answer
    wait_for(lambda: plan() is None, 20, "the plan cleared: rules make none")
    probe.close()

    def logged() -> set[str]:
        with sqlite3.connect(f"file:{db_path(data)}?mode=ro", uri=True) as conn:
            rows = conn.execute("SELECT device, ok FROM audit WHERE actor = 'manager'").fetchall()
        return {device for device, ok in rows if ok} if rows else set()

    assert set(MANAGED) <= wait_for(lambda: logged() >= set(MANAGED) and logged(), 20, "audit")
