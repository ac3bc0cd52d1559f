"""The rules strategy driving the real device models through their agents, in memory: each
command it sends must be one the device takes, and must do what the rules meant (a car
charged by departure in the cheap hours, a loaded washer started in the night rate, a
water heater boosted at the night rate's start). No broker: the agents' `command` and
`state` are what the MQTT adapter would carry."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

from devices import state_file
from devices.agent import DeviceAgent, Identity
from devices.kinds.ev_charger import EvCharger
from devices.kinds.washing_machine import WashingMachine
from devices.kinds.water_heater import WaterHeater
from devices.occupant import Use
from hub.core.prices import price_series
from hub.core.rules import DeviceView, Observation, RulesSettings, RulesStrategy
from protocol import Topics
from testkit.configs import ECONOMY_7_TARIFF

LONDON = ZoneInfo("Europe/London")
T0 = dt.datetime(2026, 3, 2, 18, 0, tzinfo=LONDON).timestamp()
NIGHT = (
    dt.datetime(2026, 3, 3, 0, 30, tzinfo=LONDON).timestamp(),
    dt.datetime(2026, 3, 3, 7, 30, tzinfo=LONDON).timestamp(),
)


def agent(device_id: str, kind, **params) -> DeviceAgent:
    model = kind.create({"auto": "false", **params}, seed=3, start=T0, tz=LONDON)
    saved = state_file.SavedState(device_id, model.kind)
    return DeviceAgent(
        Identity(device_id, device_id), model, Topics("home"), 2.0, lambda *a: None, saved
    )


def test_the_rules_drive_a_car_a_washer_and_a_water_heater_through_a_night():
    car, washer = agent("car", EvCharger), agent("washer", WashingMachine, smart_start="true")
    heater = agent("heater", WaterHeater)
    home = (car, washer, heater)
    assert car.command(b'{"on": true, "departure": "07:30"}', T0, 0.0).ok  # plugged in
    washer.model.start_use(Use(T0, 0.0), T0)  # loaded, wanted within 10 h
    series = price_series(ECONOMY_7_TARIFF, LONDON)
    rules = RulesStrategy(RulesSettings(zone=LONDON))
    sent, charged_wh, started = [], {"night": 0.0, "day": 0.0}, None
    t = T0
    while t < NIGHT[1]:
        for device in home:
            device.sync(t)
        views = [DeviceView(device.meta(), device.state()) for device in home]
        net_w = sum(view.state.contribution_w for view in views)
        car.summary(b"", t, 0.0)
        seen = Observation(t=t, net_w=net_w, prices=series.slots(t, t + 36 * 3600), devices=views)
        for action in rules.decide(seen):
            by_id = {device.device_id: device for device in home}
            result = by_id[action.device].command(json.dumps(action.command).encode(), t, 0.0)
            assert result.ok, (action, result.error)
            sent.append((action.device, action.command, action.why))
        if started is None and washer.model.phase not in ("ready", "off", "idle"):
            started = t
        charged_wh["night" if NIGHT[0] <= t else "day"] += car.model.power_w / 60
        t += 60
    car_modes = [command["mode"] for device, command, _ in sent if device == "car"]
    assert car_modes == ["pv", "now"]
    assert car.model.soc >= car.model.target - 0.005
    assert charged_wh["day"] == 0 and charged_wh["night"] > 0
    (washer_command,) = [command for device, command, _ in sent if device == "washer"]
    assert washer_command == {"start_at": NIGHT[0]}
    assert started is not None and NIGHT[0] <= started < NIGHT[0] + 120
    boosts = [command for device, command, _ in sent if device == "heater"]
    assert boosts == [{"boost": True}]
