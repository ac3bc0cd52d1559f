"""The energy manager's core in memory: strategies, the plan's cadence, people's holds,
slots cut from a fixed tariff, and the base-load history the plan forecasts from."""

import dataclasses

import pytest
from test_hub_rules_strategy import FLAT, LONDON, at, battery, heater, look, meta, state, washer

from hub.config.load import load_config
from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.core.manager import EnergyManager, HomeHistory, ManagerSettings, flexible_devices
from hub.core.manager.forecast import DEFAULT_BASE_W
from hub.core.manager.requests import plan_slots
from hub.core.rules import DeviceView
from testkit.configs import ECONOMY_7_TARIFF
from testkit.programs import ROOT


def manager(strategy: str = "plan", **settings) -> EnergyManager:
    return EnergyManager(
        ManagerSettings(strategy=strategy, **settings), LONDON, 9000.0, HomeHistory(LONDON)
    )


def car(t: float, plugged: bool = True, mode: str = "smart", soc: float = 30.0) -> DeviceView:
    reading = state(
        t, "waiting" if plugged else "idle", plugged=plugged, soc_pct=soc if plugged else None,
        target_soc=80.0, departure=at(3, 7, 30) if plugged else None, mode=mode,
    )  # fmt: skip
    return DeviceView(meta("ev", "ev_charger", 7400), reading)


def test_a_fixed_tariffs_periods_are_cut_into_half_hours_from_the_one_in_force():
    t = at(2, 6, 40)  # Economy 7's night runs 00:30-07:30
    slots = plan_slots(look(t).prices, t, t + 3 * 3600, 1800)
    assert slots[0].start == at(2, 6, 30) and slots[0].end == at(2, 7)
    assert all(s.end - s.start == 1800 for s in slots)
    assert [s.import_price for s in slots[:3]] == [0.09, 0.09, 0.30]
    assert slots[-1].end >= t + 3 * 3600


def test_off_commands_nothing_and_an_unknown_strategy_is_refused():
    off = manager("off")
    assert off.decide(look(at(2, 1), battery(at(2, 1), "hold"))) == []
    with pytest.raises(ValueError, match="expected one of off, rules, plan"):
        off.set_strategy("oracle")
    assert off.strategy == "off"
    with pytest.raises(ValueError, match="strategy 'magic'"):
        ManagerSettings(strategy="magic")


def test_the_plan_charges_the_battery_in_the_cheap_night_and_says_each_command_once():
    home = manager()
    t = at(2, 1)  # Economy 7 night: 0.09 against 0.30 by day
    first = home.decide(look(t, battery(t, "auto")))
    assert len(first) == 1 and first[0].device == "battery"
    night = [a for a in home.plan.actions if a.at < at(2, 7, 30)]
    charges = [a for a in night if a.command.get("mode") == "charge"]
    assert charges and all("0.09/kWh" in a.why for a in charges)
    assert home.decide(look(t + 60, battery(t + 60, "charge"))) == []  # same slot, same plan
    assert home.plan is not None and home.plan.made == t
    assert len(home.solve_ms) == 1


def test_a_car_plugged_in_is_planned_at_once_and_put_in_smart_mode_first():
    home = manager()
    t = at(2, 19)
    home.decide(look(t, car(t, plugged=False)))
    planned = home.plan.made
    actions = home.decide(look(t + 60, car(t + 60, plugged=True, mode="pv")))
    assert home.plan.made == t + 60 != planned  # its needs changed: a new plan
    assert [a.command for a in actions] == [{"mode": "smart"}]
    charge = home.decide(look(t + 120, car(t + 120, mode="smart")))
    assert charge and charge[0].command.get("on") is False  # it waits for the night
    assert "before 07:30" in charge[0].why


def test_a_followed_plan_never_switches_on_a_charger_whose_car_has_left():
    """The oracle's one plan stays in force after a car drives off: its last ON, seen
    undone, must not be said again (ON plugs a car in, as a person would)."""
    t = at(3, 1)  # the cheap night: the plan charges now
    planned = manager()
    planned.decide(look(t, car(t)))
    follower = manager()
    follower.follow(planned.plan)
    (charge,) = follower.decide(look(t + 60, car(t + 60)))
    assert charge.command["on"] is True
    gone = car(t + 120, plugged=False)
    gone = DeviceView(gone.meta, dataclasses.replace(gone.state, on=False))
    assert follower.decide(look(t + 120, gone)) == []


def test_a_loaded_machine_gets_its_planned_start_and_an_on_when_that_is_now():
    home = manager()
    t = at(2, 21)
    loaded = washer(t, "ready", finish_by=at(3, 7), program_s=7200)
    (start,) = home.decide(look(t, loaded))
    assert at(3, 0, 30) <= start.command["start_at"] <= at(3, 5)  # in the cheap night
    later = start.command["start_at"]
    due = home.decide(look(later - 30, washer(later - 30, "ready", at(3, 7), 7200)))
    assert [a.command for a in due] in ([{"on": True}], [])  # replanned: on, or same start
    running = home.decide(look(later + 60, washer(later + 60, "wash", at(3, 7), 7200)))
    assert running == []


def test_the_plan_boosts_a_water_heater_in_the_cheap_night_and_never_on_a_flat_rate():
    """Economy 7: the next day's energy costs 0.24 on average (0.21 less a tenth lost),
    so the night's 0.09 is worth storing as heat; by day no boost is due until the night;
    on one rate all day storing early only loses heat."""
    home, t = manager(), at(2, 1)
    (boost,) = home.decide(look(t, heater(t)))
    assert boost.command == {"boost": True}
    assert boost.why == "boost at 0.09/kWh: its heat saves 0.21/kWh later"
    # the tank full, the boost ends by itself: not asked again that night
    assert home.decide(look(at(2, 2), heater(at(2, 2)))) == []
    assert home.decide(look(at(2, 12), heater(at(2, 12)))) == []
    planned = [a for a in home.plan.actions if a.command == {"boost": True}]
    assert planned and planned[0].at == at(3, 0, 30)  # the next night's first slot
    (again,) = home.decide(look(at(3, 0, 30), heater(at(3, 0, 30))))
    assert again.command == {"boost": True}
    flat = manager()
    assert flat.decide(look(t, heater(t), tariff=FLAT)) == []
    assert flat.plan.boosts[0].slot_w == (0.0,) * len(flat.plan.slots)


def test_a_persons_command_holds_the_manager_off_until_the_next_need():
    home = manager()
    t = at(2, 19)
    home.decide(look(t, car(t)))
    home.person_commanded("ev", t + 10)
    assert home.decide(look(t + 20, car(t + 20))) == []  # held
    home.decide(look(t + 30, car(t + 30, plugged=False)))  # drove off
    back = home.decide(look(t + 40, car(t + 40, mode="pv")))
    assert [a.command for a in back] == [{"mode": "smart"}]  # next plug-in: the manager's again

    home.decide(look(t, battery(t, "auto")))
    home.person_commanded("battery", t + 50)
    assert home.decide(look(t + 60, battery(t + 60, "hold"))) == []
    next_day = at(3, 1)
    assert home.decide(look(next_day, battery(next_day, "hold")))  # a new day: managed again


def test_rules_are_the_rules_strategys_and_switching_starts_afresh():
    home = manager("rules")
    t = at(2, 12)
    assert [a.command for a in home.decide(look(t, battery(t, "hold")))] == [{"mode": "auto"}]
    home.set_strategy("plan")
    assert home.plan is None and home.strategy == "plan"


def home_minute(minute: int, consumption: float, production: float = 0.0) -> HomeMinute:
    imported = max(0.0, consumption - production)
    return HomeMinute(minute, consumption, production, imported, 0.0, 0.0, 0.0)


def test_the_base_load_forecast_is_the_same_half_hour_of_whole_past_days_less_the_flexible():
    history = HomeHistory(LONDON, flexible={"ev"})
    history.add([home_minute(int(at(2, 0)), 0.0)], [])  # seen from its midnight: a whole day
    for minute in range(30):
        m = int(at(2, 12)) + 60 * minute
        history.add([home_minute(m, 10.0 + 50.0, 20.0)], [DeviceMinute(m, "ev", 50.0, 0, 0)])
    history.add([home_minute(int(at(3, 12)), 1.0)], [])  # the day under way does not count
    slot = dataclasses.replace(look(at(3, 12)).prices[0], start=at(4, 12), end=at(4, 12, 30))
    # day 2's half hour: 300 Wh of base load (the car's 50 Wh a minute left out), 600 of solar
    assert history.base_w([slot]) == [pytest.approx(300.0 * 2)]
    assert history.pv_w([slot], at(4, 0)) == [pytest.approx(600.0 * 2)]
    partial = HomeHistory(LONDON)
    partial.add([home_minute(int(at(2, 12)), 5.0)], [])  # first seen at noon: not whole
    partial.add([home_minute(int(at(3, 12)), 5.0)], [])
    assert partial.base_w([slot]) == [DEFAULT_BASE_W] and partial.pv_w([slot], 0) == [0.0]


def test_a_charging_battery_is_taken_out_of_the_base_load_once():
    """The default home's battery charging at 2.4 kW over a night half hour beside 300 W
    of base load: the base is 300 W (its draw is the minute's battery_in, not also a
    device the manager moves)."""
    flexible = flexible_devices(load_config(ROOT / "home.toml"))
    assert "driveway-ev" in flexible and "home-battery" not in flexible
    history = HomeHistory(LONDON, flexible)
    history.add([home_minute(int(at(2, 0)), 0.0)], [])
    for minute in range(30):
        m = int(at(2, 5)) + 60 * minute
        charging = HomeMinute(m, 5.0 + 40.0, 0.0, 45.0, 0.0, 0.0, 0.0, battery_in_wh=40.0)
        history.add([charging], [DeviceMinute(m, "home-battery", 40.0, 0.0, 2400.0)])
    history.add([home_minute(int(at(3, 12)), 1.0)], [])
    slot = dataclasses.replace(look(at(3, 5)).prices[0], start=at(3, 5), end=at(3, 5, 30))
    assert history.base_w([slot]) == [pytest.approx(300.0)]


def test_settings_refuse_bad_values_by_name():
    for bad, name in (({"replan_s": 0}, "replan_s"), ({"program_duty": 2}, "program_duty")):
        with pytest.raises(ValueError, match=name):
            ManagerSettings(**bad)
    assert ECONOMY_7_TARIFF  # the tariff the observations use
