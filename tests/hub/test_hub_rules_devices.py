"""The rules strategy driving the real device models through their agents, in memory: each
command it sends must be one the device takes, and must do what the rules meant (a car
charged by departure in the cheap hours and from the sun first, a loaded washer started in
the night rate, a water heater boosted at the night rate's start). No broker: the agents'
`command`, `state` and `summary` are what the MQTT adapter would carry."""

import datetime as dt
import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

from devices import state_file
from devices.agent import DeviceAgent, Identity
from devices.kinds.ev_charger import EvCharger
from devices.kinds.washing_machine import WashingMachine
from devices.kinds.water_heater import WaterHeater
from devices.occupant import Use
from hub.core.prices import price_series
from hub.core.rules import DeviceView, Observation, RulesSettings, RulesStrategy
from protocol import Summary, Topics
from testkit.configs import ECONOMY_7_LOW_FEED_IN

LONDON = ZoneInfo("Europe/London")
E7 = price_series(ECONOMY_7_LOW_FEED_IN, LONDON)  # the sun is worth taking for the car


def at(day: int, hour: int, minute: int = 0) -> float:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=LONDON).timestamp()


NIGHT = (at(3, 0, 30), at(3, 7, 30))


def agent(device_id: str, kind, t0: float, **params) -> DeviceAgent:
    model = kind.create({"auto": "false", **params}, seed=3, start=t0, tz=LONDON)
    saved = state_file.SavedState(device_id, model.kind)
    return DeviceAgent(
        Identity(device_id, device_id), model, Topics("home"), 2.0, lambda *a: None, saved
    )


def summary(t: float, net_w: float) -> bytes:
    return Summary(
        ts=t, power_w=net_w, import_w=max(0.0, net_w), export_w=max(0.0, -net_w),
        energy_today_wh=0.0, cost_today=0.0, currency="GBP", tariff_rate=0.3,
        devices_online=3, devices_total=3,
    ).to_payload()  # fmt: skip


def run(
    home: list[DeviceAgent], t0: float, t1: float, solar_w: Callable[[float], float] = lambda t: 0
):
    """A minute at a time from t0 to t1: the devices run, the rules decide on what they
    show and the net at the meter (their draw less the sun), the commands are applied.
    Every command sent, with its time, and each device's energy drawn by the grid's rate."""
    rules = RulesStrategy(RulesSettings(zone=LONDON))
    by_id = {device.device_id: device for device in home}
    sent, drawn = [], {device_id: {"night": 0.0, "day": 0.0} for device_id in by_id}
    t = t0
    while t < t1:
        for device in home:
            device.sync(t)
        views = [DeviceView(device.meta(), device.state()) for device in home]
        net_w = sum(view.state.contribution_w for view in views) - solar_w(t)
        for device in home:
            if device.follows_summary:
                device.summary(summary(t, net_w), t, 0.0)
        seen = Observation(t=t, net_w=net_w, prices=E7.slots(t, t + 36 * 3600), devices=views)
        for action in rules.decide(seen):
            result = by_id[action.device].command(json.dumps(action.command).encode(), t, 0.0)
            assert result.ok, (action, result.error)
            sent.append((t, action.device, action.command, action.why))
        rate = "night" if NIGHT[0] <= t < NIGHT[1] else "day"
        for view in views:
            drawn[view.device_id][rate] += view.state.power_w / 60
        t += 60
    return sent, drawn


def commands(sent, device_id: str) -> list[dict]:
    return [command for _, device, command, _ in sent if device == device_id]


def test_the_rules_drive_a_car_a_washer_and_a_water_heater_through_a_night():
    t0 = at(2, 18)
    car, washer = (
        agent("car", EvCharger, t0),
        agent("washer", WashingMachine, t0, smart_start="true"),
    )
    heater = agent("heater", WaterHeater, t0)
    assert car.command(b'{"on": true, "departure": "07:30"}', t0, 0.0).ok  # plugged in
    washer.model.start_use(Use(t0, 0.0), t0)  # loaded, wanted within 10 h
    sent, drawn = run([car, washer, heater], t0, NIGHT[1])
    assert commands(sent, "car") == [{"mode": "pv"}, {"mode": "now"}]
    assert car.model.soc >= car.model.target - 0.005
    # by day only the minute at plug-in, before the rules' first command
    assert drawn["car"]["day"] <= 7400 / 60 and drawn["car"]["night"] > 20000
    assert commands(sent, "washer") == [{"start_at": NIGHT[0]}]
    # it waited on standby by day and ran at night
    assert drawn["washer"]["day"] < 10 and drawn["washer"]["night"] > 500
    assert commands(sent, "heater") == [{"boost": True}]
    assert [t for t, device, _, _ in sent if device == "heater"] == [NIGHT[0]]


def test_a_car_plugged_in_at_noon_charges_from_the_sun_and_buys_only_the_rest_at_night():
    t0 = at(2, 11)
    car = agent("car", EvCharger, t0, arrival_soc="30")
    assert car.command(b'{"on": true, "departure": "07:30"}', t0, 0.0).ok
    soc_at_plug = car.model.soc

    def sun(t: float) -> float:  # 4 kW spare from 11:00 to 15:00
        return 4000.0 if t < at(2, 15) else 0.0

    sent, drawn = run([car], t0, NIGHT[1], sun)
    car_wh = drawn["car"]
    (first, *_) = [t for t, *_ in sent]
    assert first == t0 and commands(sent, "car")[0] == {"mode": "pv"}
    assert car_wh["day"] > 4000 * 4 - 2 * 4000 / 60  # the afternoon's sun, less the delay
    assert car.model.soc >= car.model.target - 0.005
    needed_wh = (car.model.target - soc_at_plug) * 60000 / 0.9
    assert car_wh["night"] < needed_wh - car_wh["day"] + 7400 / 2  # the sun's share not bought
    assert commands(sent, "car") == [{"mode": "pv"}, {"mode": "now"}]
