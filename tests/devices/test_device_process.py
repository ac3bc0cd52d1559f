"""Real device processes against a real broker, observed over MQTT."""

import json
import signal

import pytest

from protocol import Clock, CommandResult, Meta, State
from testkit import devices as kit
from testkit.brokers import Broker
from testkit.ports import wait_for

pytestmark = pytest.mark.integration


def start_device(procs, broker, kind, device_id, *args):
    """A device with its occupant: these tests watch what it does of itself too."""
    return kit.start_device(procs, broker, kind, device_id, *args, auto=True)


def states(probe, device_id):
    return [State.from_payload(m.payload) for m in probe.received(f"home/{device_id}/state")]


def command(probe, device_id, payload) -> CommandResult:
    """Send a command and return the device's reply to it."""
    before = len(probe.received(f"home/{device_id}/result"))
    probe.publish(f"home/{device_id}/set", payload)
    wait_for(lambda: len(probe.received(f"home/{device_id}/result")) > before, 10, "a result")
    return CommandResult.from_payload(probe.received(f"home/{device_id}/result")[before].payload)


@pytest.fixture
def watcher(embedded_broker, mqtt_probe):
    probe = mqtt_probe(embedded_broker).connected()
    probe.subscribe("home/#")
    probe.subscribe("homeassistant/#")
    return probe


def online(probe, device_id):
    probe.wait_message(f"home/{device_id}/availability", lambda m: m.payload == b"online")
    probe.wait_message(f"home/{device_id}/state")


def test_announces_itself_by_the_contract(procs, embedded_broker, watcher, mqtt_probe):
    start_device(procs, embedded_broker, "fridge", "p-fridge", "--name", "Pantry fridge")
    online(watcher, "p-fridge")
    late = mqtt_probe(embedded_broker).connected()
    late.subscribe("home/p-fridge/+")
    for channel in ("meta", "availability", "state"):
        assert late.wait_message(f"home/p-fridge/{channel}").retain, channel
    meta = Meta.from_payload(late.wait_message("home/p-fridge/meta").payload)
    assert (meta.id, meta.name, meta.kind, meta.role, meta.interval_s) == (
        "p-fridge",
        "Pantry fridge",
        "fridge",
        "consumer",
        0.5,
    )
    wait_for(lambda: len(states(watcher, "p-fridge")) >= 3, 10, "three states")
    seqs = [s.seq for s in states(watcher, "p-fridge")]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    energies = [s.energy_wh for s in states(watcher, "p-fridge")]
    assert energies == sorted(energies)


def test_commands_over_mqtt(procs, embedded_broker, watcher):
    start_device(procs, embedded_broker, "light", "hall", "--param", "auto=false")
    online(watcher, "hall")
    assert command(watcher, "hall", "ON").state.on is True
    assert command(watcher, "hall", "toggle").state.on is False
    result = command(watcher, "hall", '{"on": true, "level": 25}')
    assert result.ok and result.state.on and result.state.level == 25
    assert result.request == {"on": True, "level": 25}
    assert command(watcher, "hall", '{"interval_s": 5}').ok
    assert Meta.from_payload(watcher.received("home/hall/meta")[-1].payload).interval_s == 5
    assert command(watcher, "hall", "").request == {}
    assert command(watcher, "hall", "OFF").state.on is False


@pytest.mark.parametrize(
    "payload",
    [
        b"BOIL",
        b"{oops",
        b'{"level": 150}',
        b'{"level": "high"}',
        b'{"on": true, "spin": 1}',
        b"\xc3\x28",
        b'{"interval_s": 99999}',
        b"[1, 2]",
    ],
)
def test_bad_commands_change_nothing_and_never_stop_the_device(
    procs, embedded_broker, watcher, payload
):
    device = start_device(procs, embedded_broker, "light", "den", "--param", "auto=false")
    online(watcher, "den")
    before = command(watcher, "den", "").state
    result = command(watcher, "den", payload)
    assert not result.ok and result.error
    after = command(watcher, "den", "").state
    assert (after.on, after.level) == (before.on, before.level)
    assert device.alive()


def test_kill_9_publishes_offline_through_the_last_will(procs, embedded_broker, watcher):
    device = start_device(procs, embedded_broker, "tv", "lounge-tv")
    online(watcher, "lounge-tv")
    device.send_signal(signal.SIGKILL)
    last = watcher.wait_message("home/lounge-tv/availability", lambda m: m.payload == b"offline")
    assert last.payload == b"offline"


def test_sigterm_publishes_offline_and_exits_0(procs, embedded_broker, watcher):
    device = start_device(procs, embedded_broker, "tv", "bed-tv")
    online(watcher, "bed-tv")
    assert device.stop(signal.SIGTERM) == 0
    watcher.wait_message("home/bed-tv/availability", lambda m: m.payload == b"offline")
    assert "Traceback" not in device.output()


def test_state_file_continues_the_counter_across_a_restart(
    procs, embedded_broker, watcher, tmp_path
):
    state = tmp_path / "kettle.json"
    args = ("--state-file", str(state), "--param", "auto=false")
    first = start_device(procs, embedded_broker, "kettle", "k2", *args)
    online(watcher, "k2")
    command(watcher, "k2", "ON")
    wait_for(lambda: states(watcher, "k2")[-1].energy_wh > 0.5, 10, "some energy")
    assert first.stop(signal.SIGTERM) == 0
    kept = json.loads(state.read_text())
    assert kept["energy_wh"] >= states(watcher, "k2")[-1].energy_wh
    start_device(procs, embedded_broker, "kettle", "k2", *args)
    restarted = wait_for(
        lambda: next((s for s in states(watcher, "k2") if s.seq > kept["seq"]), None),
        10,
        "a state from the restarted device",
    )
    assert restarted.energy_wh >= kept["energy_wh"]


def test_broker_restart_keeps_the_counter_continuous(procs, mqtt_probe):
    broker = Broker(procs, "embedded")
    probe = mqtt_probe(broker.endpoint).connected()
    probe.subscribe("home/#")
    start_device(procs, broker.endpoint, "fridge", "garage-fridge", "--speed", "60")
    online(probe, "garage-fridge")
    before = states(probe, "garage-fridge")[-1]
    probe.close()
    broker.process.stop(signal.SIGTERM)
    broker.start()  # on the same port
    again = mqtt_probe(broker.endpoint).connected()
    again.subscribe("home/#")
    after = again.wait_message(
        "home/garage-fridge/state",
        lambda m: State.from_payload(m.payload).seq > before.seq,
        timeout=20,
    )
    state = State.from_payload(after.payload)
    assert state.energy_wh >= before.energy_wh
    # the device kept simulating while the broker was away: time moved on at speed 60
    assert state.ts > before.ts


def test_ha_discovery_configs(procs, embedded_broker, watcher):
    start_device(procs, embedded_broker, "fridge", "ha-fridge", "--ha-discovery")
    online(watcher, "ha-fridge")
    energy = json.loads(
        watcher.wait_message("homeassistant/sensor/ha-fridge/energy/config").payload
    )
    assert energy["device_class"] == "energy"
    assert energy["state_class"] == "total_increasing"
    assert energy["unit_of_measurement"] == "Wh"
    assert energy["state_topic"] == "home/ha-fridge/state"
    power = json.loads(watcher.wait_message("homeassistant/sensor/ha-fridge/power/config").payload)
    assert power["availability_topic"] == "home/ha-fridge/availability"
    switch = json.loads(watcher.wait_message("homeassistant/switch/ha-fridge/power/config").payload)
    assert switch["command_topic"] == "home/ha-fridge/set"


def test_follows_the_hub_clock(procs, embedded_broker, watcher):
    start_device(procs, embedded_broker, "fridge", "clock-fridge")
    online(watcher, "clock-fridge")
    real = states(watcher, "clock-fridge")[-1].ts
    sim_epoch = 1_900_000_000.0
    clock = Clock(sim_epoch=sim_epoch, real_epoch=real, speed=1440)
    try:
        watcher.publish("home/hub/clock", clock.to_payload(), retain=True)
        jumped = watcher.wait_message(
            "home/clock-fridge/state", lambda m: State.from_payload(m.payload).ts > sim_epoch
        )
        assert State.from_payload(jumped.payload).ts > sim_epoch
    finally:
        watcher.publish("home/hub/clock", b"", retain=True)


def test_at_speed_1440_cycles_still_happen_in_simulation_time(procs, embedded_broker, watcher):
    start_device(procs, embedded_broker, "fridge", "fast-fridge", "--speed", "1440")
    online(watcher, "fast-fridge")

    def two_sim_hours():
        seen = states(watcher, "fast-fridge")
        return len(seen) > 2 and seen[-1].ts - seen[0].ts >= 7200

    wait_for(two_sim_hours, 20, "two simulated hours")
    seen = states(watcher, "fast-fridge")
    assert {"cooling", "idle"} <= {s.phase for s in seen}
    hours = (seen[-1].ts - seen[0].ts) / 3600
    average_w = (seen[-1].energy_wh - seen[0].energy_wh) / hours
    assert 10 <= average_w <= 40  # a fridge's ~21 % duty at 100 W


def test_a_battery_follows_the_hubs_summary_over_mqtt(procs, embedded_broker, watcher):
    start_device(procs, embedded_broker, "battery", "p-battery")
    online(watcher, "p-battery")
    assert states(watcher, "p-battery")[-1].phase == "no-summary"
    summary = {
        "ts": 1763900000.0, "power_w": 800.0, "import_w": 800.0, "export_w": 0.0,
        "energy_today_wh": 0.0, "cost_today": 0.0, "currency": "GBP", "tariff_rate": 0.25,
        "devices_online": 1, "devices_total": 1,
    }  # fmt: skip
    watcher.publish("home/hub/summary", json.dumps(summary).encode(), retain=True)
    watcher.wait_message(
        "home/p-battery/state",
        lambda m: State.from_payload(m.payload).phase == "discharging",
        timeout=20,
    )
    result = command(watcher, "p-battery", b'{"mode": "charge", "power_w": 9000}')
    assert result.ok and result.applied == {"mode": "charge", "power_w": 2600.0}
    assert (result.state.mode, result.state.power_w) == ("charge", 2600.0)
    watcher.publish("home/hub/summary", b"", retain=True)  # leave no retained summary behind
