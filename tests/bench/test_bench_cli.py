"""The benchmark command line: cheap checks only (no benchmark runs in the test suite)."""

import argparse
import subprocess
import sys

import pytest

from bench.__main__ import BENCHMARKS, load, parser
from testkit.programs import ROOT

# a set per line, not a key per line
# fmt: off
PROMISED_KEYS = {
    "ingest": {"broker", "devices", "hub_rate", "baseline_rate", "ratio"},
    "latency": {"p50_ms", "p95_ms", "p99_ms", "devices"},
    "soak": {"rss_start_mb", "rss_end_mb", "max_queue"},
    "history": {"ms", "rows"},
    "devices": {"device_rss_mb", "fleet_cpu_pct"},
    "dashboard": {"busy_pct"},
    "first-numbers": {"numbers_ms", "charts_ms", "transfer_kb", "runs"},
    "energy": {"year_ms", "day_ms", "week_ms", "month_ms", "device_hours"},
    "realism": {"floor_w", "peak_hour", "peak_w", "r_h0_january", "r_h0_july", "r_h25_january",
                "r_h25_july", "winter_summer", "year_kwh", "solar_kwh_per_kwp_year",
                "solar_kwh_per_kwp_january_day"},
    "simulate": {"days_per_s", "year_s", "ratio", "days", "profile"},
    "planner": {"p50_ms", "p95_ms", "max_ms", "solve_p95_ms", "instances", "slots"},
    "manager": {"scenarios", "capture", "solve_ms_p95", "ev_targets"},
}
# fmt: on


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_every_benchmark_of_the_issue_is_offered():
    assert set(BENCHMARKS) == set(PROMISED_KEYS)


@pytest.mark.parametrize("name", [*BENCHMARKS, "all"])
def test_help_works_for_each_name(name):
    done = bench(name, "--help")
    assert done.returncode == 0, done.stderr
    assert "--quick" in done.stdout and "--json" in done.stdout


def test_an_unknown_name_is_a_clear_error():
    done = bench("nosuch")
    assert done.returncode == 2
    assert "invalid choice: 'nosuch'" in done.stderr
    assert "ingest" in done.stderr


@pytest.mark.parametrize("name", BENCHMARKS)
def test_each_benchmark_declares_the_json_keys_it_promises(name):
    module = load(name)
    assert set(module.KEYS) == PROMISED_KEYS[name]
    assert callable(module.run) and module.HELP


@pytest.mark.parametrize("name", BENCHMARKS)
def test_quick_and_json_parse_for_each_name(name):
    args = parser().parse_args([name, "--quick", "--json"])
    assert isinstance(args, argparse.Namespace)
    assert args.quick and args.json and args.name == name
