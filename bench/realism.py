"""realism: the household's figures against the published ones (issue 15, docs/realism.md).

Unlike the other benchmarks this one starts no process: it runs the pure models
of a home.toml in memory (home/realism.py), built as the launcher builds them,
over two weeks in the middle of each season (January, April, July, October) for
each seed, reading every device's energy counter once a minute; the solar panels
over every day of the year. The shapes are compared with the BDEW household
profiles H0 and H25 over the same dates (home/bdew.py, demandlib: a dev
dependency). `--svg DIR` also writes the mean-day charts of docs/realism.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.day_plot import Series, mean_day_svg
from bench.harness import BenchError, Result, Row, at_least
from home import bdew, realism
from hub.config.load import ConfigError, load_config
from testkit.programs import ROOT

NAME = "realism"
KEYS = (
    "floor_w",
    "peak_hour",
    "peak_w",
    "r_h0_january",
    "r_h0_july",
    "r_h25_january",
    "r_h25_july",
    "winter_summer",
    "year_kwh",
    "solar_kwh_per_kwp_year",
    "solar_kwh_per_kwp_january_day",
)
HELP = "the household's figures (floor, peak, shape vs BDEW H0, year, solar) vs published ones"
SHOWN = ("january", "july")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=ROOT / "home.toml", help="a home.toml")
    parser.add_argument(
        "--seeds", help="comma-separated home seeds (quick 1,10; full 1,2,3,10, the issue's)"
    )
    parser.add_argument("--days", type=int, help="days from each season's start (quick 7, full 14)")
    parser.add_argument("--with-ev", action="store_true", help="count the car's charger too")
    parser.add_argument("--svg", type=Path, metavar="DIR", help="write the mean-day charts there")


def between(figure: str, value: float, unit: str, low: float, high: float) -> Row:
    target = f"{low:g}-{high:g} {unit}".strip()
    return Row(figure, value, unit, target, low <= value <= high, value / high)


def _seeds(args: argparse.Namespace) -> tuple[int, ...]:
    if args.seeds:
        try:
            return tuple(int(s) for s in args.seeds.split(","))
        except ValueError:
            raise BenchError(f"--seeds wants whole numbers, got {args.seeds!r}") from None
    return (1, 10) if args.quick else realism.SEEDS


def run(args: argparse.Namespace) -> Result:
    seeds = _seeds(args)
    days = args.days or (7 if args.quick else realism.DAYS)
    try:
        config = load_config(args.config)
    except (ConfigError, OSError) as exc:
        raise BenchError(str(exc)) from None
    try:  # first: a missing dev dependency is said before a minute of simulation
        refs = {
            (profile, season): bdew.hourly_shape(profile, realism.SEASONS[season], days)
            for profile in bdew.PROFILES
            for season in SHOWN
        }
    except ImportError as exc:
        raise BenchError(f"{exc.name} is missing (a dev dependency: make install)") from None
    home = realism.measure_household(config, seeds, days, with_ev=args.with_ev)
    solar = realism.measure_solar(config, seeds[:1] if args.quick else seeds)
    r = {key: realism.pearson(home.shapes[key[1]], ref) for key, ref in refs.items()}
    h0_ratio = bdew.daily_energy("h0", realism.SEASONS["january"], days) / bdew.daily_energy(
        "h0", realism.SEASONS["july"], days
    )
    rows = [
        between("always-on floor", home.floor_w, "W", 50, 150),
        between("evening peak hour (local)", home.peak_hour, "h", 17, 19),
        Row("evening peak, mean load", home.peak_w, "W"),
        *(
            at_least(
                f"shape r vs {profile.upper()}, {season.capitalize()}", r[profile, season], "", 0.85
            )
            for profile in bdew.PROFILES
            for season in SHOWN
        ),
        at_least("January / July daily kWh", home.winter_summer, "", 1.2),
        # the target is the home's without the car: with it, the figure stands alone
        Row("year with the EV", home.year_kwh, "kWh")
        if args.with_ev
        else between("year without the EV", home.year_kwh, "kWh", 2400, 3000),
        between("solar a year", solar.year_kwh_per_kwp, "kWh/kWp", 850, 1000),
        between("solar, a January day", solar.january_day_kwh_per_kwp, "kWh/kWp", 0.8, 1.1),
    ]
    peak_share = home.shapes["january"][home.peak_hour], refs["h0", "january"][home.peak_hour]
    notes = [
        f"seeds {','.join(map(str, seeds))}, {days} days from "
        + ", ".join(f"{d:%d %b}" for d in realism.SEASONS.values())
        + f" {realism.YEAR}, read every {home.step_s:g} s; solar: every day of the year, "
        f"seeds {','.join(map(str, solar.seeds))}",
        "kWh a day: "
        + ", ".join(f"{k} {v:.2f}" for k, v in home.daily_kwh.items())
        + f"; year = their mean x 365; H0's January / July is {h0_ratio:.2f}",
        f"peak hour {home.peak_hour:02d}:00 carries {peak_share[0]:.1%} of a January day "
        f"(H0 {peak_share[1]:.1%}); targets: peak 17:00-20:00, r against H0 or H25",
    ]
    if args.svg:
        notes.append("charts: " + ", ".join(str(p) for p in write_charts(args.svg, home, refs)))
    data = {
        "floor_w": round(home.floor_w, 1),
        "peak_hour": home.peak_hour,
        "peak_w": round(home.peak_w, 1),
        **{f"r_{p}_{s}": round(value, 3) for (p, s), value in r.items()},
        "winter_summer": round(home.winter_summer, 3),
        "h0_winter_summer": round(h0_ratio, 3),
        "year_kwh": round(home.year_kwh),
        "daily_kwh": {k: round(v, 3) for k, v in home.daily_kwh.items()},
        "solar_kwh_per_kwp_year": round(solar.year_kwh_per_kwp, 1),
        "solar_kwh_per_kwp_january_day": round(solar.january_day_kwh_per_kwp, 3),
        "solar_kwh_per_kwp_july_day": round(solar.july_day_kwh_per_kwp, 3),
        "shapes": {k: [round(v, 4) for v in shape] for k, shape in home.shapes.items()},
        "seeds": list(seeds),
        "days": days,
        "with_ev": args.with_ev,
    }
    return Result(NAME, data, rows, notes)


def write_charts(directory: Path, home: realism.Household, refs: dict) -> list[Path]:
    """One chart a season: the model's mean day, H0 and H25 over the same dates."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for season in SHOWN:
        title = (
            f"Mean day in {season.capitalize()}: the default home "
            f"({len(home.seeds)} seeds x {home.days} days) against BDEW H0 and H25"
        )
        svg = mean_day_svg(
            title,
            [
                Series("the model", home.shapes[season], "#c0392b"),
                Series("BDEW H0 (dynamised)", refs["h0", season], "#2c3e50", dashed=True),
                Series("BDEW H25", refs["h25", season], "#2980b9", dashed=True),
            ],
        )
        path = directory / f"realism-{season}.svg"
        path.write_text(svg)
        written.append(path)
    return written
