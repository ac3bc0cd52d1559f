"""simulate: how many simulated days `python -m home simulate` plays per wall-clock second.

The issue's goal is a year of the default home in under a minute (>= 6 days/s)
on one core. Like `realism`, this starts no process: it runs home/simulator.py
in memory, pinned to one CPU, over `--days` from `--start`, and times it (the
models' and the hub's set-up included, as a person running the command waits
for them). Then it runs one simulated day again under cProfile and says where
the time goes, as shares (cProfile slows everything down, roughly evenly):
the device models' ticks, the device agents' readings (building each `State`),
the hub's gate (booking them: registry, counters, ledger; the simulator hands it
the `State`, a live hub parses the bytes first), the hub's tick (summary,
thresholds, shedding, the ledger's minutes) and the rest (this loop and the
figures). `models_days_per_s` is the ceiling the models alone set: every
device's model advanced minute by minute over one day, with no hub at all (CPU
time, as `cpu_s` is: on a shared machine the wall clock also counts the others'
work).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import time
from collections.abc import Iterator
from pathlib import Path

from bench.harness import BenchError, Result, Row, at_least, at_most
from home.models import model_of
from home.simulator import HomeSimulation, simulate
from hub.config.load import ConfigError, load_config
from hub.store.export import parse_time
from testkit.programs import ROOT

NAME = "simulate"
KEYS = ("days_per_s", "year_s", "ratio", "days", "profile")
HELP = "simulated days per wall-clock second of `home simulate` on one core (goal >= 6)"
GOAL_DAYS_PER_S = 6.0
# Where each share of the profile is measured: the cumulative time of one function
# (building the models; their ticks; a reading, less the gate it goes through...).
PARTS = {
    "models": ("devices/appliance.py", "advance_to"),
    "readings": ("devices/agent.py", "next_state"),
    "hub_gate": ("hub/core/hub_core.py", "handle_state"),
    "hub_tick": ("hub/core/hub_core.py", "tick"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=ROOT / "home.toml", help="a home.toml")
    parser.add_argument("--start", default="2026-01-05", help="first day (%(default)s)")
    parser.add_argument("--days", type=float, help="days simulated (quick 3, full 14)")


@contextlib.contextmanager
def one_core() -> Iterator[int | None]:
    """Run on a single CPU (the one we are on), as the goal is stated; then as before."""
    if not hasattr(os, "sched_setaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    cpu = min(before)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


def profile_shares(config, start: float, days: float = 1.0) -> dict[str, float]:
    """Each part's share of a profiled run (once the home is built), in percent."""
    home = HomeSimulation(config, 1, start)
    profiler = cProfile.Profile()
    profiler.enable()
    home.run(start + days * 86400)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in stats.values())  # every function's own time
    cumulative = {
        part: sum(
            entry[3]
            for (path, _, name), entry in stats.items()
            if path.endswith(where) and name == function
        )
        for part, (where, function) in PARTS.items()
    }
    shares = {part: 100.0 * value / total for part, value in cumulative.items()}
    shares["rest"] = 100.0 - sum(shares.values())
    return {part: round(share, 1) for part, share in shares.items()}


def models_cpu_s(config, start: float, days: float = 1.0) -> float:
    """CPU seconds the models alone take over `days`, read once a simulated minute."""
    tz = config.home.timezone
    models = [model_of(entry, 1, start, tz) for entry in config.devices]
    began = time.process_time()
    for minute in range(1, round(days * 1440) + 1):
        for model in models:
            model.advance_to(start + minute * 60.0)
    return time.process_time() - began


def run(args: argparse.Namespace) -> Result:
    days = args.days or (3.0 if args.quick else 14.0)
    try:
        config = load_config(args.config)
        start = parse_time(args.start, config.home.timezone, "--start")
    except (ConfigError, ValueError) as exc:
        raise BenchError(str(exc)) from None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with one_core() as cpu:
        began, began_cpu = time.perf_counter(), time.process_time()
        simulate(config, 1, start, start + days * 86400)
        wall_s = time.perf_counter() - began
        cpu_s = time.process_time() - began_cpu
        models_s = models_cpu_s(config, start)
        shares = profile_shares(config, start)
    per_s = days / wall_s
    year_s = 365 / per_s
    rows = [
        at_least("simulated days per second", per_s, "days/s", GOAL_DAYS_PER_S),
        at_most("a year would take", year_s, "s", 60.0),
        Row("days per CPU second", days / cpu_s, "days/s"),
        Row("models alone, days per CPU s", 1.0 / models_s, "days/s"),
        *(Row(f"profile: {part.replace('_', ' ')}", share, "%") for part, share in shares.items()),
    ]
    notes = [
        f"{len(config.devices)} devices of {args.config.name}, {days:g} days from {args.start}, "
        f"seed 1, {wall_s:.1f} s ({cpu_s:.1f} s of CPU) on CPU "
        f"{cpu if cpu is not None else '(any)'}, load average {load:.2f} when it began",
        "profile: one day under cProfile, each part's share of the time",
    ]
    data = {
        "days_per_s": round(per_s, 3),
        "year_s": round(year_s, 1),
        "ratio": round(per_s / GOAL_DAYS_PER_S, 3),
        "days": days,
        "wall_s": round(wall_s, 2),
        "cpu_s": round(cpu_s, 2),
        "days_per_cpu_s": round(days / cpu_s, 3),
        "models_days_per_s": round(1.0 / models_s, 3),
        "load_average": round(load, 2),
        "devices": len(config.devices),
        "profile": shares,
    }
    return Result(NAME, data, rows, notes)
