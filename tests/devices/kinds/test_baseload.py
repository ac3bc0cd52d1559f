"""Always-on load calibrated to appliances.md: 40-150 W together, steady day and night,
small steps; the issue's floor for a UK home is 50-150 W. The gas central heating's pump
and fan add to it while the heating runs, on cold days only."""

import itertools
import statistics
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from devices.kinds import get_kind
from devices.simulate import simulate

TZ = ZoneInfo("Europe/London")
DAYS = 3


def model(t0: float, seed: int = 7, **params):
    return get_kind("baseload").create(params, seed, t0, TZ)


def midnight(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=TZ).timestamp()


@pytest.fixture(scope="module")
def days():
    return simulate("baseload", 24 * DAYS, seed=7, params=NO_HEATING)


NO_HEATING = {"heating_w": 0}


def test_steady_around_60_w_day_and_night(days):
    powers = [s.power_w for s in days.samples]
    assert all(s.on and s.phase == "on" for s in days.samples)
    assert 52 <= statistics.mean(powers) <= 70
    assert min(powers) >= 30 and max(powers) <= 95
    assert 1.25 <= days.energy_wh / DAYS / 1000 <= 1.7
    night = statistics.mean(s.power_w for s in days.at_local_hour(3))
    evening = statistics.mean(s.power_w for s in days.at_local_hour(19))
    assert abs(night - evening) < 25  # flat: no daily pattern beyond the odd step


def test_a_few_watts_of_noise_changing_at_most_once_a_minute(days):
    minutes = [s.power_w for s in days.samples[:: round(60 / days.step_s)]]
    changes = [abs(b - a) for a, b in itertools.pairwise(minutes)]
    assert 0.5 <= statistics.mean(changes) <= 5  # a few W, never flat
    per_tick = sum(a.power_w != b.power_w for a, b in itertools.pairwise(days.samples))
    assert per_tick <= DAYS * 24 * 60  # at most one change a minute


def test_steps_of_5_to_20_w_for_hours_on_some_days():
    # no noise and no heating: what is left is steps
    quiet = model(midnight("2026-01-01T00:00"), noise_w=0, heating_w=0)
    days = 60
    steps = []  # (day, minutes away from the level) for every day with a step
    for day in range(days):
        first = round(midnight("2026-01-01T00:00") / 60) + day * 1440
        offsets = [quiet.level_w(m) - 60 for m in range(first, first + 1440)]
        stepped = [w for w in offsets if abs(w) > 2 * 2.0 + 0.01]  # beyond the drift
        if stepped:
            steps.append((day, len(stepped), max(stepped, key=abs)))
    assert 0.15 * days <= len(steps) <= 0.65 * days  # 40 % of days, less the smallest steps
    assert all(abs(w) <= 20 + 4 for _, _, w in steps)
    assert sum(w > 0 for _, _, w in steps) > len(steps) / 2  # mostly something plugged in
    assert statistics.mean(n for _, n, _ in steps) >= 60  # lasting hours, not minutes


def heating_kwh_a_day(first_day: str, seed: int) -> float:
    """What the heating adds to a week from `first_day`: the same home with and without it."""
    warm, plain = (
        simulate("baseload", 24 * 7, seed=seed, start=first_day, params=params).energy_wh
        for params in ({}, NO_HEATING)
    )
    return (warm - plain) / 7 / 1000


def test_the_heating_runs_its_pump_on_cold_days_in_its_programmed_hours():
    january = [heating_kwh_a_day("2026-01-12T00:00", seed) for seed in (1, 2, 3)]
    july = [heating_kwh_a_day("2026-07-13T00:00", seed) for seed in (1, 2, 3)]
    assert all(0.4 <= kwh <= 0.76 + 1e-9 for kwh in january)  # up to 80 W for 9.5 h (and rounding)
    assert all(kwh <= 0.1 for kwh in july)
    cold = simulate("baseload", 24, seed=1, start="2026-01-12T00:00")
    heating = {s.t for s in cold.samples if s.power_w > 100}  # 60 W + 80 W, less the drift
    hours = {datetime.fromtimestamp(t, TZ).hour for t in heating}
    assert heating and hours <= {6, 7, 8, 16, 17, 18, 19, 20, 21, 22}


def test_the_level_depends_only_on_the_seed_and_the_time():
    midnight_start = model(midnight("2026-01-15T00:00"))
    evening_start = model(midnight("2026-01-15T20:00"))
    t = midnight("2026-01-15T20:00")
    midnight_start.advance_to(t)
    for minute in range(0, 240, 7):
        at = t + 60 * minute
        assert midnight_start.advance_to(at) == evening_start.advance_to(at)
    other_seed = model(t, seed=8)
    assert other_seed.power_w != evening_start.power_w


def test_off_draws_nothing_and_on_resumes_the_level():
    load = model(midnight("2026-06-15T00:00"))
    before = load.power_w
    load.switch(False, load.now + 30)
    assert (load.on, load.power_w, load.phase) == (False, 0, "off")
    assert load.advance_to(load.now + 3600) == 0
    load.switch(True, load.now)
    assert load.on and load.phase == "on" and abs(load.power_w - before) < 30


def test_never_scheduled():
    assert get_kind("baseload").usage == ()
    assert simulate("baseload", 2, params={"auto": "false"}).energy_wh > 100  # on by itself
