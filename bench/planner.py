"""planner: how long the energy manager's plan takes to make for a 36 h horizon.

The issue's goal: a 36 h plan in 30-minute slots (72 slots) solves in <= 1 s at
the 95th percentile on this machine. Like `simulate`, this starts no process:
it makes `--instances` random homes (seeded) with the agile-like prices from a
random day of the year, a base load with an evening peak, a sunny or dull solar
forecast, a 5.2 kWh battery at a random charge, a car plugged in at a random
charge to reach 80 % by 07:30, and a washing machine and a dishwasher each due
within the horizon; then times `make_plan` (building the programme, HiGHS, and
reading the plan back) on one core. `solve_ms` is HiGHS's own run time, and the
CPU time is given beside the wall clock: on a shared machine the wall clock also
counts the others' work.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import time
from zoneinfo import ZoneInfo

from bench.harness import Result, Row, at_most
from bench.simulate import one_core
from hub.core.planner import Battery, Car, PlanRequest, Program, make_plan
from hub.core.prices import AgileLikePrices

NAME = "planner"
KEYS = ("p50_ms", "p95_ms", "max_ms", "solve_p95_ms", "instances", "slots")
HELP = "wall time of a 36 h plan in 30-min slots with battery, car and 2 programs (p95 <= 1 s)"
GOAL_P95_MS = 1000.0
SLOTS = 72
SLOT_S = 1800.0
ZONE = ZoneInfo("Europe/London")
FIRST_DAY = 1_767_225_600.0  # 2026-01-01 00:00 UTC
WASH = ((300.0, 100.0), (1200.0, 2000.0), (2400.0, 150.0), (600.0, 500.0))
DISHES = ((600.0, 80.0), (1500.0, 1800.0), (1800.0, 80.0), (1200.0, 1800.0), (900.0, 30.0))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--instances", type=int, help="random homes planned (quick 15, full 50)")
    parser.add_argument("--seed", type=int, default=1, help="the homes' seed (%(default)s)")


def home(rng: random.Random) -> PlanRequest:
    """A random 36 h planning problem starting at 16:00 on a random day."""
    start = FIRST_DAY + rng.randrange(365) * 86400 + 16 * 3600
    prices = AgileLikePrices(rng.randrange(1000), ZONE).slots(start, start + SLOTS * SLOT_S)
    sunshine = rng.uniform(0, 4000)
    load, pv = [], []
    for slot in prices:
        hour = (slot.start % 86400) / 3600
        evening = 900 if 17 <= hour < 21 else 0
        load.append(rng.uniform(200, 500) + evening)
        pv.append(max(0.0, sunshine * math.sin(math.pi * (hour - 6) / 12)) if 6 < hour < 18 else 0)
    return PlanRequest(
        made=start,
        slots=tuple(prices),
        base_load_w=tuple(load),
        pv_w=tuple(pv),
        zone=ZONE,
        import_limit_w=9000.0,
        battery=Battery("battery", 5200, 2600, 2600, soc_pct=rng.uniform(10, 100)),
        cars=(
            Car(
                "car",
                plugged=True,
                soc_pct=rng.uniform(20, 60),
                capacity_wh=60_000,
                target_soc_pct=80,
                departure=start + 15.5 * 3600,
                max_w=7400,
                min_w=7400 * 6 / 32,
            ),
        ),
        programs=(
            Program("washer", start, start + rng.uniform(6, 34) * 3600, WASH),
            Program("dishwasher", start, start + rng.uniform(6, 34) * 3600, DISHES),
        ),
    )


def run(args: argparse.Namespace) -> Result:
    instances = args.instances or (15 if args.quick else 50)
    rng = random.Random(args.seed)
    homes = [home(rng) for _ in range(instances)]
    wall_ms, cpu_ms, solve_ms, suboptimal = [], [], [], 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with one_core() as cpu:
        for request in homes:
            began, began_cpu = time.perf_counter(), time.process_time()
            plan = make_plan(request)
            wall_ms.append((time.perf_counter() - began) * 1000)
            cpu_ms.append((time.process_time() - began_cpu) * 1000)
            solve_ms.append(plan.solve_ms)
            suboptimal += not plan.optimal
    p95 = _p95(wall_ms)
    rows = [
        at_most("plan p95", p95, "ms", GOAL_P95_MS),
        Row("plan p50", statistics.median(wall_ms), "ms"),
        Row("plan max", max(wall_ms), "ms"),
        Row("plan p95, CPU time", _p95(cpu_ms), "ms"),
        Row("HiGHS alone p95", _p95(solve_ms), "ms"),
    ]
    notes = [
        f"{instances} homes (seed {args.seed}), {SLOTS} slots of {SLOT_S / 60:g} min, battery, "
        f"car, washer and dishwasher; on CPU {cpu if cpu is not None else '(any)'}, load "
        f"average {load:.2f} when it began; {suboptimal} stopped by the time limit"
    ]
    data = {
        "p50_ms": round(statistics.median(wall_ms), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(max(wall_ms), 1),
        "solve_p95_ms": round(_p95(solve_ms), 1),
        "cpu_p95_ms": round(_p95(cpu_ms), 1),
        "load_average": round(load, 2),
        "instances": instances,
        "slots": SLOTS,
        "suboptimal": suboptimal,
    }
    return Result(NAME, data, rows, notes)


def _p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )
