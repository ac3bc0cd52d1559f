"""A loaded machine's start and a car's departure on the dashboard, on the home's clock, in
Chromium set to another time zone than the home's, against a real hub, broker and device
processes: the washer's "ready, finishes by" is its finish_by as the home's clock reads it;
a start set from the card reaches the device and shows as "starts HH:MM"; a start too late
to finish is refused and the card says why; the car shows no charge until it is plugged in,
and its departure is set and shown as home-local time."""

import json
import math
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from live_home import Watched, start_live_home

from devices.appliance import Appliance
from devices.assembly import DeviceSpec, build_model
from protocol import Clock
from testkit import configs
from testkit.devices import start_device
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]

HOME_ZONE = "America/New_York"
BROWSER_ZONE = "Asia/Tokyo"  # 13-14 hours from the home: a time in the wrong zone shows
WASHER_PARAMS = {"smart_start": "true", "finish_within_h": "24"}
SEEDS = range(1, 101)
SPEEDS = (60, 300, 1440)
LEAD_S, WITHIN_S = 10.0, 40.0
"""The washer is loaded between 10 s (it is up by then) and 40 s of real time after the
search, on the slowest clock at which some household loads it, whatever the time of day."""


def hhmm(ts: float, zone: str = HOME_ZONE) -> str:
    return datetime.fromtimestamp(ts, ZoneInfo(zone)).strftime("%H:%M")


def washers(now: float) -> dict[int, Appliance]:
    """The washer each home seed makes. The occupant's days are drawn from the seed alone
    (devices/occupant.py), so its schedule says when the washer process's occupant loads it."""
    spec = DeviceSpec("washer", "washing_machine", "Washer", {"auto": "true", **WASHER_PARAMS})
    return {seed: build_model(spec, seed, now, ZoneInfo(HOME_ZONE)) for seed in SEEDS}


def a_load_soon(
    models: dict[int, Appliance], now: float, speeds: tuple[float, ...] = SPEEDS
) -> tuple[float, int, float]:
    """(speed, home seed, time of loading): the first of `speeds` at which the household of
    some seed loads the washer LEAD_S to WITHIN_S of real time after `now` (simulated)."""
    for speed in speeds:
        for seed, model in models.items():
            use = model.schedule.next_use(now + LEAD_S * speed)
            if use is not None and use.start <= now + WITHIN_S * speed:
                return speed, seed, use.start
    pytest.fail(f"no household of seeds {SEEDS} loads the washer soon at speeds {speeds}")


def hub_now(probe: MqttProbe) -> float:
    """Simulation time now, by the hub's retained clock."""
    clock = probe.wait_message("home/hub/clock", lambda m: bool(m.payload))
    return Clock.from_payload(clock.payload).sim_time(time.time())


def device(home, device_id: str) -> dict:
    return home.get(f"/api/devices/{device_id}")


def wait_result(probe: MqttProbe, device_id: str, start_at: float | None) -> dict:
    """The device's reply to the page's start_at command (the page sends nothing else here)."""

    def replied() -> dict | None:
        for message in probe.received(f"home/{device_id}/result"):
            result = json.loads(message.payload)
            request = result["request"]  # a refusal's is the raw payload
            if (request if result["ok"] else json.loads(request)) == {"start_at": start_at}:
                return result
        return None

    return wait_for(replied, 15, f"{device_id}'s reply to start_at {start_at}")


def test_a_loaded_washer_is_started_from_the_page_on_the_homes_clock(
    browser, procs, tmp_path, mqtt_probe
):
    models = washers(time.time())
    speed = a_load_soon(models, time.time())[0]
    config = configs.home_toml("Test home", timezone=HOME_ZONE)
    home = start_live_home(procs, tmp_path, "--speed", f"{speed:g}", config_text=config)
    probe = mqtt_probe(home.broker).connected()
    probe.subscribe("home/hub/clock")
    probe.subscribe("home/washer/result")
    _, seed, loads_at = a_load_soon(models, hub_now(probe), (speed,))  # now the hub is up
    zone_args = ("--seed", str(seed), "--timezone", HOME_ZONE)
    params = [arg for key, value in WASHER_PARAMS.items() for arg in ("--param", f"{key}={value}")]
    start_device(procs, home.broker, "washing_machine", "washer", *zone_args, *params, auto=True)
    home.device("ev_charger", "driveway-ev", *zone_args)
    home.wait_devices(2)
    watched = Watched(browser, home.url, timezone_id=BROWSER_ZONE)
    assert watched.page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_ZONE

    # the car first, while the washer waits for its occupant: no car, no charge shown
    car = device(home, "driveway-ev")
    assert car["plugged"] is False and "soc_pct" not in car
    watched.shows({"flex-driveway-ev": "no car plugged in · now"})
    watched.testid("switch-driveway-ev").check()
    car = wait_for(lambda: (d := device(home, "driveway-ev"))["plugged"] and d, 15, "the car")
    assert 30 <= car["soc_pct"] <= 70  # plugged in: the charger knows the car's charge
    watched.testid("departure-driveway-ev").fill("07:30")  # sent when the entry goes quiet
    car = wait_for(
        lambda: (
            (d := device(home, "driveway-ev")).get("departure")
            and hhmm(d["departure"]) == "07:30"
            and d
        ),
        15,
        "the departure at 07:30 at home",
    )
    assert hhmm(car["departure"], BROWSER_ZONE) != "07:30"
    wait_for(lambda: "· needed 07:30 ·" in watched.text("flex-driveway-ev"), 15, "needed 07:30")
    assert re.fullmatch(r"car \d+ % → 90 % · needed 07:30 · now", watched.text("flex-driveway-ev"))
    assert watched.testid("departure-driveway-ev").input_value() == "07:30"

    # the occupant loads the washer when the seed says
    washer = wait_for(
        lambda: (d := device(home, "washer"))["phase"] == "ready" and d,
        LEAD_S + WITHIN_S + 15,
        "the occupant to load the washer",
    )
    finish_by, program_s = washer["finish_by"], washer["program_s"]
    assert abs(finish_by - 24 * 3600 - loads_at) < 60  # loaded at the occupant's use
    minutes = round(program_s / 60)
    ready = f"ready, finishes by {hhmm(finish_by)} · {minutes} min program"
    watched.shows({"flex-washer": ready})
    shown = re.search(r"finishes by (\d\d:\d\d)", watched.text("flex-washer")).group(1)
    assert shown == hhmm(finish_by) != hhmm(finish_by, BROWSER_ZONE)
    assert watched.testid("start-cancel-washer").is_hidden()

    # a start two hours before the latest one, typed on the home's clock
    planned = math.floor((finish_by - program_s - 2 * 3600) / 60) * 60
    watched.testid("start-washer").fill(hhmm(planned))
    watched.testid("start-washer").press("Enter")
    reply = wait_result(probe, "washer", planned)
    assert reply["state"]["phase"] == "ready" and reply["state"]["finish_by"] == finish_by
    starts = f"ready, starts {hhmm(planned)}, finishes by {hhmm(finish_by)} · {minutes} min program"
    watched.shows({"flex-washer": starts})
    assert watched.text("result-washer").startswith(f"start at {hhmm(planned)}: done ✓")
    assert watched.testid("start-cancel-washer").is_visible()

    # too late to finish by finish_by: the device refuses, the card says why, nothing changes
    late = math.ceil((finish_by - program_s + 1800) / 60) * 60
    watched.testid("start-washer").fill(hhmm(late))
    watched.testid("start-washer").press("Enter")
    refusal = wait_result(probe, "washer", late)
    assert not refusal["ok"] and "after finish_by" in refusal["error"]
    watched.shows({"result-washer": f"start at {hhmm(late)} failed: {refusal['error']}"})
    assert watched.text("flex-washer") == starts
    assert device(home, "washer")["phase"] == "ready"

    # and back to the machine's own start
    watched.testid("start-cancel-washer").click()
    wait_result(probe, "washer", None)
    watched.shows({"flex-washer": ready})
    wait_for(lambda: watched.text("result-washer").startswith("start by itself: done ✓"), 15, "ok")
    assert watched.testid("start-cancel-washer").is_hidden()
    assert watched.problems == []
