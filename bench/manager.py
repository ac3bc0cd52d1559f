"""manager: what each energy-management strategy saves, against the physical limit.

The default home (home.toml) is played by the simulator (`home simulate`, in memory,
pinned to one CPU) over a fixed set of scenarios: a winter and a summer week, Economy 7
and the agile-like tariff, with and without the 5.2 kWh battery; the car (arriving with
40 % +/- 20 % on a weekday evening, target 80 %) and smart start on the washer and the
dishwasher in every one, so there is something to manage. Each scenario runs every
strategy with the same seed: `off` (nothing commanded), `rules` (evcc's), `plan` (the
rolling optimal plan) and `oracle` (one plan of the whole run knowing its future), and
reports cost, import, export, self-consumption, peak import, the car's energy and
targets met at departure, what the battery holds at the end, and the capture ratio
(cost_off - cost_x) / (cost_off - cost_oracle): the share of the largest possible saving
a strategy takes (overall: the savings summed over the oracle's, summed; the oracle is
held to end with at least what `off` left stored). A second ratio credits each strategy
for the energy its battery holds at the end beyond what `off` left, at the run's mean
import price (a battery filled for tomorrow's peak is bought energy, not spent money;
one drained on the last evening is debited): a week's end cuts each strategy off
differently, and the two ratios bracket what that does. Goals: plan >= 0.90, rules
>= 0.60, no car missing a target that could be met, a plan's solve p95 <= 1 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.harness import BenchError, Result, Row, at_least, at_most
from bench.simulate import one_core
from home.overrides import OverrideError, apply_overrides
from home.sim_manager import SIM_STRATEGIES, p95
from home.simulator import HomeSimulation, Run, simulation_of
from hub.config.load import ConfigError, load_config
from hub.core.rules.windows import mean_price
from hub.core.settings import AgileLike, HubConfig
from hub.store.export import parse_time
from testkit.programs import ROOT

NAME = "manager"
KEYS = ("scenarios", "capture", "solve_ms_p95", "ev_targets")
HELP = "each energy manager strategy's saving against the oracle's (capture ratio)"
WEEKS = {"winter": "2026-01-05", "summer": "2026-06-08"}
GOALS = {"plan": 0.90, "rules": 0.60}
MANAGED = (
    "ev.arrival_soc=40",
    "washing-machine.smart_start=true",
    "dishwasher.smart_start=true",
)
NOTHING_TO_SAVE = 0.01
"""A scenario whose oracle saves less than this (money) has no capture ratio."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=ROOT / "home.toml", help="a home.toml")
    parser.add_argument("--days", type=float, help="days of each week played (quick 2, full 7)")


@dataclass(frozen=True)
class Scenario:
    name: str
    start: str
    config: HubConfig


def scenarios(config: HubConfig) -> list[Scenario]:
    managed = apply_overrides(config, list(MANAGED))
    agile = replace(managed.tariff, prices=AgileLike())
    result = []
    for week, start in WEEKS.items():
        for tariff_name, tariff in (("economy-7", managed.tariff), ("agile", agile)):
            for battery in (True, False):
                devices = managed.devices
                if not battery:
                    devices = tuple(d for d in devices if d.kind != "battery")
                home = replace(managed, tariff=tariff, devices=devices)
                label = f"{week} {tariff_name} {'battery' if battery else 'no battery'}"
                result.append(Scenario(label, start, home))
    return result


class CarWatch:
    """The car's charge against its target each time it drives off (a run's EV targets)."""

    def __init__(self, simulation: HomeSimulation):
        self.models = [
            r.agent.model
            for r in simulation.reporters.values()
            if r.agent.model.kind == "ev_charger"
        ]
        self.plugged = {id(m): m.plugged for m in self.models}
        self.departures = 0
        self.met = 0

    def after_step(self) -> None:
        for model in self.models:
            was, self.plugged[id(model)] = self.plugged[id(model)], model.plugged
            if was and not model.plugged:
                self.departures += 1
                self.met += model.soc * 100 >= model.target_soc - 0.5


@dataclass(frozen=True)
class Played:
    run: Run
    cpu_s: float
    cars: CarWatch
    stored_kwh: float
    """What the home's batteries hold at the end."""
    mean_import_price: float
    """The run's time-weighted mean import price: what energy left stored is worth."""


def play(scenario: Scenario, strategy: str, days: float) -> Played:
    start = parse_time(scenario.start, scenario.config.home.timezone, "start")
    end = start + days * 86400
    began = time.process_time()
    simulation = simulation_of(scenario.config, 1, start, end, strategy)
    watch = CarWatch(simulation)
    step = simulation.step

    def watched(t: float) -> None:
        step(t)
        watch.after_step()

    simulation.step = watched  # type: ignore[method-assign]
    run = simulation.run(end)
    cpu_s = time.process_time() - began
    models = [reporter.agent.model for reporter in simulation.reporters.values()]
    stored_wh = sum(m.soc_pct * m.capacity_j / 3.6e5 for m in models if m.kind == "battery")
    price = mean_price(simulation.core.prices.slots(start, end), start, end) or 0.0
    return Played(run, cpu_s, watch, stored_wh / 1000, price)


def figures(played: Played, config: HubConfig) -> dict[str, Any]:
    run = played.run
    flows = run.total.flows
    cars = [entry.id for entry in config.devices if entry.kind == "ev_charger"]
    return {
        "cost": round(run.total.cost, 3),
        "import_kwh": round(flows.import_wh / 1000, 2),
        "export_kwh": round(flows.export_wh / 1000, 2),
        "self_consumed_kwh": round(flows.self_consumed_wh / 1000, 2),
        "peak_import_kw": round(run.total.peak_import_w / 1000, 2),
        "ev_kwh": round(sum(run.total.device_wh.get(car, 0.0) for car in cars) / 1000, 2),
        "ev_met": f"{played.cars.met}/{played.cars.departures}",
        "stored_end_kwh": round(played.stored_kwh, 2),
        "commands": run.commands,
    }


def run(args: argparse.Namespace) -> Result:
    days = args.days or (2.0 if args.quick else 7.0)
    try:
        config = load_config(args.config)
        cases = scenarios(config)
    except (ConfigError, OverrideError, ValueError) as exc:
        raise BenchError(str(exc)) from None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    logging.getLogger("hub").setLevel(logging.ERROR)  # each shed and restore, as `simulate`
    table: dict[str, dict[str, Any]] = {}
    solves: dict[str, list[float]] = {"plan": [], "oracle": []}
    cars = {"departures": 0, "met": 0}
    with one_core():
        for case in cases:
            row: dict[str, Any] = {}
            played = {strategy: play(case, strategy, days) for strategy in SIM_STRATEGIES}
            left_off = played["off"].stored_kwh
            for strategy, one in played.items():
                row[strategy] = {**figures(one, case.config), "cpu_s": round(one.cpu_s, 1)}
                # energy left stored beyond what `off` left was bought, not lost
                extra_kwh = one.stored_kwh - left_off
                net = one.run.total.cost - extra_kwh * one.mean_import_price
                row[strategy]["net_cost"] = round(net, 3)
                if strategy in solves:
                    solves[strategy] += one.run.solve_ms
                if strategy == "plan":
                    cars["departures"] += one.cars.departures
                    cars["met"] += one.cars.met
            best = row["off"]["cost"] - row["oracle"]["cost"]
            for strategy in SIM_STRATEGIES:
                saved = row["off"]["cost"] - row[strategy]["cost"]
                row[strategy]["capture"] = (
                    round(saved / best, 3) if best > NOTHING_TO_SAVE else None
                )
            table[case.name] = row
    capture = {strategy: _overall(table, strategy) for strategy in ("rules", "plan")}
    credited = {s: _overall(table, s, "net_cost") for s in ("rules", "plan")}
    plan_p95 = p95(solves["plan"]) if solves["plan"] else 0.0
    rows = [
        at_least("plan: capture", capture["plan"] or 0.0, "", GOALS["plan"]),
        at_least("rules: capture", capture["rules"] or 0.0, "", GOALS["rules"]),
        at_most("plan: solve p95", plan_p95 / 1000, "s", 1.0),
        Row("plan: car targets met", cars["met"], f"of {cars['departures']}"),
        Row("plan: capture, stored energy credited", credited["plan"] or 0.0, ""),
        Row("rules: capture, stored energy credited", credited["rules"] or 0.0, ""),
    ]
    for name, row in table.items():
        for strategy in ("rules", "plan"):
            value = row[strategy]["capture"]
            rows.append(
                Row(f"{name}: {strategy}", value if value is not None else float("nan"), "")
            )
    notes = [
        f"{len(cases)} scenarios of {args.config.name}, {days:g} days each from its week's "
        f"Monday, seed 1, every strategy; load average {load:.2f} when it began",
        "per scenario, cost / cost with the energy left stored credited (home's currency), "
        "kWh into the car, kWh left stored: "
        + "; ".join(
            f"{name}: "
            + ", ".join(
                f"{s} {row[s]['cost']}/{row[s]['net_cost']} {row[s]['ev_kwh']} "
                f"{row[s]['stored_end_kwh']}"
                for s in SIM_STRATEGIES
            )
            for name, row in table.items()
        ),
    ]
    data = {
        "scenarios": table,
        "capture": capture,
        "capture_credited": credited,
        "solve_ms_p95": round(plan_p95, 1),
        "ev_targets": cars,
        "days": days,
        "load_average": round(load, 2),
    }
    return Result(NAME, data, rows, notes)


def _overall(table: dict[str, dict[str, Any]], strategy: str, cost: str = "cost") -> float | None:
    """The share of all scenarios' possible saving the strategy took: the savings summed
    over the oracle's summed (a ratio of sums: one scenario with little to save cannot
    swing it as a mean of ratios would)."""
    saved = best = 0.0
    for row in table.values():
        if row["oracle"]["capture"] is None:
            continue
        saved += row["off"][cost] - row[strategy][cost]
        best += row["off"][cost] - row["oracle"][cost]
    return round(saved / best, 3) if best > NOTHING_TO_SAVE else None
