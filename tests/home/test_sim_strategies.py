"""The simulator's energy managers (`home simulate --strategy`), on a small home with a
battery, solar, a car and the agile-like tariff over two evenings: what each strategy
costs, and that the oracle is held to what the others are (the car's energy, the
battery's charge at the end) so that its saving is the limit of theirs."""

from __future__ import annotations

import dataclasses
import json

import pytest

from home.__main__ import main
from home.sim_oracle import devices_plan
from home.simulator import HomeSimulation, simulate
from hub.config.load import parse_config
from hub.core.manager import planning_limit_w
from hub.core.planner import make_plan
from hub.core.settings import SheddingConfig
from hub.store.export import parse_time
from testkit import configs
from tests.hub.planner.planner_cases import HOUR, T0, car, request

HOME = (
    '[home]\ntimezone = "Europe/London"\n[tariff]\nstanding_charge_per_day = 0.5\n'
    'prices = "agile-like"\n'
    + configs.device("always-on", "baseload")
    + configs.device("kitchen-fridge", "fridge")
    + configs.device("kitchen-kettle", "kettle")
    + configs.device("roof-solar", "solar")
    + "kwp = 4\n"
    + configs.device("home-battery", "battery")
    + "capacity_wh = 5200\nmax_charge_w = 2600\nmax_discharge_w = 2600\n"
    + configs.device("driveway-ev", "ev_charger")
    + 'battery_kwh = 40\narrival_soc = 40\nmode = "smart"\noffpeak = "00:30-07:30"\n'
)
CONFIG = parse_config(HOME)
START = parse_time("2026-06-08", CONFIG.home.timezone)  # a Monday: the car comes home
END = START + 40 * HOUR
STRATEGIES = ("off", "rules", "plan", "oracle")


@pytest.fixture(scope="module")
def runs():
    """Each strategy's run, with the car's energy and the battery's charge at the end."""
    found = {}
    for strategy in STRATEGIES:
        if strategy == "oracle":
            result = simulate(CONFIG, 1, START, END, strategy="oracle")
            found[strategy] = (result, None)
            continue
        simulation = HomeSimulation(CONFIG, 1, START, strategy=strategy)
        result = simulation.run(END)
        found[strategy] = (result, simulation.reporters["home-battery"].agent.model.soc_pct)
    return found


def test_every_strategy_is_named_in_its_run_and_the_planners_time_their_solves(runs):
    for strategy, (result, _) in runs.items():
        assert result.strategy == strategy
        assert bool(result.solve_ms) == (strategy in ("plan", "oracle")), strategy
        assert (result.commands > 0) == (strategy != "off"), strategy


def test_the_oracle_costs_least_and_the_plan_saves_on_doing_nothing(runs):
    cost = {strategy: result.total.cost for strategy, (result, _) in runs.items()}
    assert cost["oracle"] <= min(cost.values()) + 0.01, cost
    assert cost["plan"] < cost["off"] - 0.1, cost


def test_the_oracle_puts_as_much_into_the_car_as_doing_nothing_does(runs):
    """Each car session's commands hold only while that car is plugged in: a later
    session's "wait" planned from the run's start never switches off an earlier charge."""
    ev = {s: result.total.device_wh["driveway-ev"] for s, (result, _) in runs.items()}
    assert ev["off"] > 5000, ev  # the car charged: there was something to hold it to
    assert ev["oracle"] >= 0.97 * ev["off"], ev


def test_a_later_sessions_commands_wait_for_its_car_and_end_when_it_leaves():
    first = car(device="ev#0", arrival=T0, departure=T0 + 3 * HOUR)
    second = car(device="ev#1", arrival=T0 + 4 * HOUR, departure=T0 + 6 * HOUR)
    asked = request([0.10, 0.30, 0.30, 0.30, 0.30, 0.10], cars=(first, second))
    plan = devices_plan(make_plan(asked), asked)
    assert {action.device for action in plan.actions} == {"ev"}
    assert [a.at for a in plan.actions] == sorted(a.at for a in plan.actions)
    at_start = [a.command for a in plan.actions if a.at == T0]
    assert at_start and at_start[-1]["on"] is True  # the first car charges in the cheap hour
    second_car = [a for a in plan.actions if "ev#1" in a.why or a.at >= second.arrival]
    assert all(a.at >= second.arrival for a in second_car)
    assert not [a for a in plan.actions if first.departure <= a.at < second.arrival]


def test_the_plan_boosts_a_water_heater_in_the_cheap_night_and_the_bill_falls():
    """Heat stored at 0.09 is hot water not bought at the day's rate: the tank takes more
    energy (it is kept hotter, losing more), the home pays less."""
    home = dataclasses.replace(
        parse_config(configs.device("water-heater", "water_heater")),
        tariff=configs.ECONOMY_7_TARIFF,
    )
    start = parse_time("2026-01-05", home.home.timezone)
    off, plan = (simulate(home, 1, start, start + 2 * 86400, strategy=s) for s in ("off", "plan"))
    assert plan.commands >= 2  # a boost each night
    heat = {run.strategy: run.total.device_wh["water-heater"] for run in (off, plan)}
    assert heat["plan"] > heat["off"], heat
    assert plan.total.cost < off.total.cost - 0.1, (plan.total.cost, off.total.cost)


def test_a_plan_leaves_a_kettle_of_room_under_the_fuse():
    assert planning_limit_w(SheddingConfig(limit_w=9000.0)) == 6500.0
    assert planning_limit_w(SheddingConfig(limit_w=4000.0, restore_below_w=3000.0)) == 2000.0


def test_the_json_names_the_strategy_and_the_plans_solve_time(capsys, tmp_path):
    config = tmp_path / "home.toml"
    config.write_text(HOME)
    argv = ["simulate", "--config", str(config), "--start", "2026-06-08", "--days", "0.5"]
    for strategy in ("off", "oracle"):
        assert not main([*argv, "--strategy", strategy, "--json"])
        found = json.loads(capsys.readouterr().out)
        assert found["strategy"] == strategy
        assert ("solve_ms_p95" in found) == (strategy == "oracle"), found.keys()
        if strategy == "oracle":
            assert found["solve_ms_p95"] > 0
