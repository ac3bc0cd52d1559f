"""The hub core in memory: MQTT messages and time in, events and figures out."""

from datetime import time

import pytest

from hub.core import events as ev
from hub.core.energy_rows import HomeMeters
from hub.core.hub_core import CommandRefused, HubCore, Now, Snapshot
from hub.core.settings import HubConfig, Period, SheddingConfig, TariffConfig, ThresholdConfig
from protocol import Command, CommandResult, Meta, State, Topics

T0 = 1_781_000_000.0  # a June morning
FLAT = TariffConfig(periods=(Period("flat", time(0), time(0), 0.25),), export_rate=0.10)


def meta(device_id, role="consumer", priority=3, dimmable=False, interval_s=10.0, rated=3000):
    return Meta(
        id=device_id,
        name=device_id.title(),
        kind="test",
        role=role,
        rated_w=rated,
        standby_w=0,
        dimmable=dimmable,
        interval_s=interval_s,
        priority=priority,
        sw="test",
    ).to_payload()


def state(seq, power, energy, on=True, ts=T0):
    return State(
        ts=ts,
        seq=seq,
        on=on,
        power_w=power,
        energy_wh=energy,
        level=None,
        phase="on" if on else "off",
    ).to_payload()


class Home:
    """A core and a clock; `send` delivers a message at the current time."""

    def __init__(self, **config):
        self.core = HubCore(HubConfig(tariff=FLAT, **config), Topics("home"))
        self.t = T0
        self.events: list = []

    @property
    def now(self):
        return Now(real=self.t, sim=self.t)

    def send(self, topic, payload):
        self.events += self.core.handle_message(topic, payload, self.now)

    def tick(self, seconds=1.0):
        self.t += seconds
        new = self.core.tick(self.now)
        self.events += new
        return new

    def device(self, device_id, power, energy, seq=1, **meta_args):
        self.send(f"home/{device_id}/meta", meta(device_id, **meta_args))
        self.send(f"home/{device_id}/availability", b"online")
        self.send(f"home/{device_id}/state", state(seq, power, energy))

    def summary(self):
        return self.core.summary(self.now).summary

    def of(self, kind):
        return [e for e in self.events if isinstance(e, kind)]


def test_summary_is_the_sum_of_device_powers_netted_with_solar():
    home = Home()
    home.device("kettle", 2800.0, 10.0)
    home.device("fridge", 100.0, 500.0)
    home.device("roof", 1200.0, 900.0, role="producer")
    summary = home.summary()
    assert (summary.load_w, summary.generation_w, summary.battery_w) == (2900.0, 1200.0, 0.0)
    assert summary.power_w == 1700.0  # net at the grid meter
    assert summary.import_w == 1700.0 and summary.export_w == 0.0
    assert summary.battery_soc_pct is None
    assert (summary.devices_online, summary.devices_total) == (3, 3)
    assert {e.device_id for e in home.of(ev.DeviceChanged) if e.change == "discovered"} == {
        "kettle",
        "fridge",
        "roof",
    }


def test_a_home_exporting_has_negative_net_power_and_the_flows_add_up():
    home = Home()
    home.device("fridge", 500.004, 0.0)
    home.device("roof", 2000.0, 0.0, role="producer")
    summary = home.summary()
    assert (summary.load_w, summary.generation_w) == (500.0, 2000.0)
    assert (summary.power_w, summary.import_w, summary.export_w) == (-1500.0, 0.0, 1500.0)
    computed = home.core.summary(home.now)
    assert computed.device_power_w == {"fridge": 500.004, "roof": 2000.0}


def test_today_by_flow_and_lifetime_meters():
    home = Home()
    home.device("fridge", 500.0, 1000.0)
    home.device("roof", 2000.0, 1000.0, role="producer")
    home.t += 3600  # an hour: 500 Wh used, 2000 Wh made, 1500 Wh exported
    home.send("home/fridge/state", state(2, 500.0, 1500.0, ts=home.t))
    home.send("home/roof/state", state(2, 2000.0, 3000.0, ts=home.t))
    summary = home.summary()
    assert summary.energy_today_wh == pytest.approx(500.0)
    assert summary.generation_today_wh == pytest.approx(2000.0)
    assert summary.export_today_wh == pytest.approx(1500.0)
    assert summary.import_today_wh == pytest.approx(0.0)
    assert summary.self_consumed_today_wh == pytest.approx(500.0)
    assert summary.generation_total_wh == pytest.approx(2000.0)
    assert summary.export_total_wh == pytest.approx(1500.0)
    ledger = [e for e in home.tick() if isinstance(e, ev.LedgerChanged)]
    assert ledger[0].meters.export_wh == pytest.approx(1500.0)


def test_lifetime_meters_continue_from_a_snapshot_and_never_step_back():
    home = Home()
    meters = HomeMeters(import_wh=10_000.0, export_wh=4_000.0, generation_wh=7_000.0)
    home.core.restore(Snapshot([], {}, [], [], meters))
    home.device("roof", 2000.0, 100.0, role="producer")
    home.device("kettle", 0.0, 100.0)
    home.t += 30
    home.send("home/roof/state", state(2, 2000.0, 116.0, ts=home.t))  # 16 Wh exported...
    exported = home.summary().export_total_wh
    assert exported == pytest.approx(4_016.0)
    home.send("home/kettle/state", state(2, 0.0, 110.0, ts=home.t))  # ...then netted to 6
    later = home.summary()
    assert later.export_total_wh == pytest.approx(exported)  # held, not stepped back
    assert later.import_total_wh == pytest.approx(10_000.0)
    assert later.generation_total_wh == pytest.approx(7_016.0)


def test_energy_comes_from_counters_and_is_priced():
    home = Home()
    home.device("heater", 2000.0, 1000.0)
    home.t += 1800
    home.send("home/heater/state", state(2, 2000.0, 2000.0))  # 1 kWh in half an hour
    summary = home.summary()
    assert summary.energy_today_wh == pytest.approx(1000.0)
    assert summary.cost_today == pytest.approx(0.25)


def test_retained_duplicates_are_not_counted_twice():
    home = Home()
    home.device("tv", 100.0, 5.0)
    home.t += 60
    payload = state(2, 100.0, 6.0)
    home.send("home/tv/state", payload)
    home.send("home/tv/state", payload)
    assert home.summary().energy_today_wh == pytest.approx(1.0)
    assert len(home.of(ev.ReadingTaken)) == 2


@pytest.mark.parametrize(
    ("topic", "payload"),
    [
        ("home/tv/state", b"{not json"),
        ("home/tv/state", b'{"ts": 1, "seq": 1, "on": true, "power_w": NaN}'),
        ("home/tv/state", state(9, 100.0, 5.0).replace(b'"power_w":100.0', b'"power_w":-5')),
        ("home/TV/state", state(9, 100.0, 5.0)),
        ("home/tv/meta", meta("other")),
        ("home/tv/availability", b"maybe"),
        ("home/tv/state", b"x" * 70_000),
        ("home/tv/extra/level", b"1"),
        ("home/tv/result", b'{"ok": "yes"}'),
    ],
)
def test_invalid_messages_are_rejected_counted_and_change_nothing(topic, payload):
    home = Home()
    home.device("tv", 100.0, 5.0)
    before = (home.summary(), dict(home.core.ledger.days))
    home.send(topic, payload)
    assert (home.summary(), dict(home.core.ledger.days)) == before
    assert sum(home.core.rejections.counts.values()) == 1


def test_a_counter_restart_adds_energy_instead_of_subtracting():
    home = Home()
    home.device("kettle", 0.0, 500.0)
    home.t += 60
    home.send("home/kettle/state", state(1, 0.0, 20.0))
    assert home.summary().energy_today_wh == pytest.approx(20.0)


def test_offline_and_stale_devices_raise_and_clear_alerts():
    home = Home()
    home.device("fridge", 100.0, 1.0, interval_s=1.0)
    home.tick(3.5)  # more than 3 intervals of silence
    assert home.core.registry.get("fridge").status == "stale"
    home.send("home/fridge/availability", b"offline")
    home.send("home/fridge/availability", b"online")
    home.send("home/fridge/state", state(2, 100.0, 1.1))
    alerts = [(a.alert.rule, a.alert.state) for a in home.of(ev.AlertChanged)]
    assert alerts == [
        ("device-stale", "raised"),
        ("device-offline", "raised"),
        ("device-stale", "cleared"),
        ("device-offline", "cleared"),
    ]
    assert home.summary().power_w == 100.0


def test_total_power_threshold_debounces_then_raises_and_clears():
    rule = ThresholdConfig(
        "total-power", above=3000.0, clear_below=2500.0, for_s=5, level="warning", device=None
    )
    home = Home(thresholds=(rule,))
    home.device("oven", 3500.0, 1.0)
    home.tick(1)  # first seen above
    home.tick(3)
    assert not home.of(ev.AlertChanged)
    home.tick(3)  # above for 6 s >= 5 s
    raised = home.of(ev.AlertChanged)[-1].alert
    assert (raised.rule, raised.state, raised.value) == ("total-power-high", "raised", 3500.0)
    home.send("home/oven/state", state(2, 0.0, 2.0, on=False))
    home.tick(1)  # first seen below clear_below
    home.tick(4)
    assert home.of(ev.AlertChanged)[-1].alert.state == "raised"
    home.tick(1)
    assert home.of(ev.AlertChanged)[-1].alert.state == "cleared"


def test_shedding_switches_off_by_priority_and_respects_people():
    shedding = SheddingConfig(enabled=True, limit_w=5000.0, for_s=2, restore_below_w=3000.0)
    home = Home(shedding=shedding)
    home.device("ev", 4000.0, 1.0, priority=5)
    home.device("heater", 2000.0, 1.0, priority=4)
    home.device("fridge", 100.0, 1.0, priority=1)
    home.tick(1)
    home.tick(2)
    issued = [(e.device_id, e.command, e.actor) for e in home.of(ev.CommandIssued)]
    assert issued == [("ev", Command(on=False), "shedding")]
    assert home.of(ev.AlertChanged)[-1].alert.rule == "load-shed"
    # a person switches the car back on: the shedder lets go of it for good
    events = home.core.command("ev", Command(on=True), "web", home.now)
    assert events[-1] == ev.CommandIssued("ev", Command(on=True), "web")
    assert home.core.shedder.shed_devices() == []


def test_commands_are_checked_before_anything_is_sent():
    home = Home()
    home.device("kettle", 0.0, 1.0)
    with pytest.raises(CommandRefused) as missing:
        home.core.command("toaster", Command(on=True), "web", home.now)
    assert missing.value.reason == "not_found"
    with pytest.raises(CommandRefused) as undimmable:
        home.core.command("kettle", Command(level=10), "web", home.now)
    assert undimmable.value.reason == "not_dimmable"
    home.send("home/kettle/availability", b"offline")
    with pytest.raises(CommandRefused) as offline:
        home.core.command("kettle", Command(on=True), "web", home.now)
    assert offline.value.reason == "offline" and "kettle is offline" in str(offline.value)


def test_results_are_passed_on_and_clearing_meta_forgets_a_device():
    home = Home()
    home.device("lamp", 10.0, 1.0)
    result = CommandResult.failure("nope", b"X")
    home.send("home/lamp/result", result.to_payload())
    assert home.of(ev.CommandAnswered) == [ev.CommandAnswered("lamp", result)]
    home.send("home/lamp/meta", b"")
    assert home.core.registry.get("lamp") is None


def test_a_restored_core_carries_on_exactly():
    original = Home()
    original.device("heater", 2000.0, 1000.0)
    original.t += 600
    original.send("home/heater/state", state(2, 2000.0, 1333.0))
    changed = next(e for e in original.tick() if isinstance(e, ev.LedgerChanged))
    day = original.core.tariff.day_of(original.t)
    snapshot = Snapshot(changed.counters, {day: original.core.ledger.day(day)}, [], [])
    restarted = Home()
    restarted.t = original.t
    restarted.core.restore(snapshot)
    for home in (original, restarted):
        home.t += 600
        home.send("home/heater/state", state(3, 2000.0, 1666.0))
    assert restarted.summary().energy_today_wh == pytest.approx(original.summary().energy_today_wh)
    assert restarted.summary().cost_today == pytest.approx(original.summary().cost_today)
