"""`python -m home simulate`: the home played in memory, and what the hub would report.

The thin outside of home/simulator.py: flags, the config and its `--set`
overrides, the wall clock (`wall_s`, progress on stderr) and the files.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import sys
import time
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, TextIO

from devices.kinds import UnknownKindError
from devices.params import ModelError
from home.overrides import OverrideError, apply_overrides
from home.sim_figures import FLOW_NAMES
from home.sim_manager import SIM_STRATEGIES, p95
from home.sim_report import report_html
from home.simulator import Run, simulate
from hub.config.load import ConfigError, load_config
from hub.store.export import parse_time
from protocol import ProtocolError

MAX_DAYS = 3660.0
LAST_START = 221845392000.0  # 9000-01-01: room for MAX_DAYS before datetime's year 9999
SERIES_COLUMNS = ("start", *FLOW_NAMES, "import_price", "export_price", "co2_g_per_kwh")
PROGRESS_EVERY_S = 1.0
EXAMPLES = """\
examples:
  python -m home simulate --start 2026-01-05 --days 7
  python -m home simulate --start 2026-06-01 --days 30 --json --set driveway-ev.mode=now
  python -m home simulate --start 2026-01-01 --days 365 --report year.html --series year.csv

--json prints one object: {start, days, seed, wall_s, totals, per_day, per_device}.
totals and each per_day (a local day, with its date) hold load_wh, generation_wh,
import_wh, export_wh, self_consumed_wh, battery_in_wh, battery_out_wh, cost (energy
at the tariff's rates plus each day's standing charge), co2_g, peak_import_w (the
highest one-minute mean), self_consumption_pct (generation used at home) and
self_sufficiency_pct (load met without import); per_device holds each device's
energy_wh and cost. load_wh is every consumer but storage charging, and
generation + import + battery_out = load + export + battery_in.
A run longer than a second says how far it has got on stderr.
"""


def add_parser(commands: Any) -> None:
    """The `simulate` subcommand of `python -m home`."""
    sub = commands.add_parser(
        "simulate",
        help="play the home in memory, as fast as it goes, and report its energy",
        description="Run every device of the config and the hub's core in one process, with\n"
        "no broker and no waiting, and report what the live hub would: energy by flow,\n"
        "cost, CO2, self-consumption, self-sufficiency and peak import, per day and per\n"
        "device. The same --seed gives the same figures on every run.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.set_defaults(fail=sub.error)  # a mistake is told with this command's usage
    sub.add_argument("--config", type=Path, default=Path("home.toml"), help="(%(default)s)")
    sub.add_argument(
        "--start",
        required=True,
        help="when to begin: a date (its local midnight in the home's time zone), a local "
        "date-time (2026-01-05T07:30) or Unix seconds",
    )
    sub.add_argument(
        "--days",
        type=_days,
        default=1.0,
        help=f"how long, in days; fractions too (0.25 is six hours; at most {MAX_DAYS:g}) "
        "(%(default)s)",
    )
    sub.add_argument("--seed", type=int, default=1, help="home seed, as `home up --seed` (1)")
    sub.add_argument(
        "--strategy",
        choices=SIM_STRATEGIES,
        default=None,
        help="the energy manager's: off, rules (evcc's), plan (the optimal plan, made again "
        "every 15 min) or oracle (one plan of the whole run, knowing its future: the limit) "
        "(default: home.toml's [manager] strategy, else off)",
    )
    sub.add_argument("--json", action="store_true", help="print one JSON object instead")
    sub.add_argument(
        "--report", type=Path, metavar="FILE.html", help="also write an offline HTML report"
    )
    sub.add_argument(
        "--series",
        type=Path,
        metavar="FILE.csv",
        help="also write one CSV row per half hour: " + ",".join(SERIES_COLUMNS),
    )
    sub.add_argument(
        "--set",
        action="append",
        default=[],
        dest="overrides",
        metavar="DEVICE.PARAM=VALUE",
        help="change a device parameter for this run (repeatable): DEVICE is an id, a kind "
        "the home has once, or a word of one id (ev.battery_kwh=60); tariff.KEY=VALUE sets "
        "the [tariff] table's export_rate, standing_charge_per_day or carbon_g_per_kwh",
    )


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not (math.isfinite(value) and 0 < value <= MAX_DAYS):
        raise argparse.ArgumentTypeError(f"{text} days: give more than 0 and at most {MAX_DAYS:g}")
    return value


def run(args: argparse.Namespace) -> int:
    fail = args.fail
    try:
        config = apply_overrides(load_config(args.config), args.overrides)
        tz = config.home.timezone
        start = parse_time(args.start, tz, "--start")
    except (ConfigError, OverrideError, ValueError) as exc:
        fail(str(exc))
    if not (math.isfinite(start) and 0 < start < LAST_START):
        fail(f"--start {args.start}: give a time between 1970 and 9000")
    for path in (args.report, args.series):
        if path is not None and not path.parent.is_dir():
            fail(f"cannot write {path}: no directory {path.parent}")
    # the core's own log (a device shed, then restored) would run to pages over a year
    hub_log = logging.getLogger("hub")
    level = hub_log.level
    hub_log.setLevel(logging.ERROR)
    started = time.monotonic()
    try:
        end = start + args.days * 86400
        strategy = args.strategy or config.manager.strategy
        result = simulate(config, args.seed, start, end, _progress(start, args.days), strategy)
    except (ModelError, UnknownKindError, ProtocolError) as exc:
        fail(f"{args.config}: {exc}")
    finally:
        hub_log.setLevel(level)
    figures = figures_of(result, args.days, round(time.monotonic() - started, 3), tz)
    rows = series_rows(result, tz)
    try:
        if args.series is not None:
            with args.series.open("w", newline="", encoding="utf-8") as handle:
                write_series(handle, rows)
        if args.report is not None:
            title = f"{config.home.name}: {_when(result.start, tz)}, {_span(args.days)}"
            page = report_html(figures, rows, f"{title}, seed {args.seed}", config.home.currency)
            args.report.write_text(page, encoding="utf-8")
    except OSError as exc:
        print(f"python -m home simulate: cannot write: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(figures))
    else:
        print(text_report(figures, config.home.name, config.home.currency))
    return 0


def _progress(start: float, days: float):
    """Say how far a long run has got, on stderr, at most once a second."""
    began = last = time.monotonic()

    def report(t: float) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_S:
            done = (t - start) / 86400
            print(f"{done:.0f} of {days:g} days ({now - began:.0f} s)", file=sys.stderr, flush=True)
            last = now

    return report


def _when(t: float, tz: tzinfo) -> str:
    return datetime.fromtimestamp(t, tz).isoformat()


def _span(days: float) -> str:
    return f"{days:g} day{'s' if days != 1 else ''}"


def figures_of(result: Run, days: float, wall_s: float, tz: tzinfo) -> dict[str, Any]:
    """The `--json` object."""
    total = result.total
    managed: dict[str, Any] = {"strategy": result.strategy}
    if result.solve_ms:
        managed["solve_ms_p95"] = round(p95(result.solve_ms), 1)
    if result.strategy != "off":
        managed["commands"] = {"sent": result.commands, "refused": result.refused}
    return {
        "start": _when(result.start, tz),
        "days": int(days) if days.is_integer() else days,
        "seed": result.seed,
        "wall_s": wall_s,
        **managed,
        "totals": total.as_dict(),
        "per_day": [{"date": day.isoformat(), **p.as_dict()} for day, p in result.days.items()],
        "per_device": {
            device: {
                "energy_wh": round(total.device_wh.get(device, 0.0), 3),
                "cost": round(total.device_cost.get(device, 0.0), 4),
            }
            for device in result.devices
        },
    }


def series_rows(result: Run, tz: tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "start": _when(slot.start, tz),
            **{name: round(getattr(slot.flows, name), 3) + 0.0 for name in FLOW_NAMES},
            "import_price": slot.import_price,
            "export_price": slot.export_price,
            "co2_g_per_kwh": slot.co2_g_per_kwh,
        }
        for slot in result.slots
    ]


def write_series(handle: TextIO, rows: list[dict[str, Any]]) -> None:
    writer = csv.DictWriter(handle, SERIES_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def text_report(figures: dict[str, Any], name: str, currency: str) -> str:
    """What a person reads: the run's totals, then a line a day and a line a device."""
    t = figures["totals"]

    def kwh(value: float) -> str:
        return f"{value / 1000:,.2f}"

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f} %"

    lines = [
        f"{name}: {figures['start']}, {_span(figures['days'])}, seed {figures['seed']} "
        f"(simulated in {figures['wall_s']:.1f} s)",
        f"  load {kwh(t['load_wh'])} kWh, generation {kwh(t['generation_wh'])}, import "
        f"{kwh(t['import_wh'])}, export {kwh(t['export_wh'])}, self-consumed "
        f"{kwh(t['self_consumed_wh'])}, battery in {kwh(t['battery_in_wh'])} / out "
        f"{kwh(t['battery_out_wh'])}",
        f"  cost {t['cost']:,.2f} {currency} (with the standing charge), CO2 "
        f"{t['co2_g'] / 1000:,.1f} kg, peak import {t['peak_import_w'] / 1000:.1f} kW, "
        f"self-consumption {pct(t['self_consumption_pct'])}, self-sufficiency "
        f"{pct(t['self_sufficiency_pct'])}",
        "per day (kWh): load, generation, import, export; cost",
    ]
    for day in figures["per_day"]:
        values = ", ".join(
            kwh(day[k]) for k in ("load_wh", "generation_wh", "import_wh", "export_wh")
        )
        lines.append(f"  {day['date']}  {values}; {day['cost']:.2f} {currency}")
    lines.append("per device (kWh; cost)")
    width = max((len(d) for d in figures["per_device"]), default=0)
    for device, values in figures["per_device"].items():
        lines.append(f"  {device:<{width}}  {kwh(values['energy_wh']):>8}; {values['cost']:.2f}")
    return "\n".join(lines)
