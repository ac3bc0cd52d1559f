"""Tumble dryer calibrated to appliances.md: vented/condenser 2-2.6 kW element,
0-1 W standby, 2-4.5 kWh a cycle; used after some washes, more in winter."""

import itertools
from datetime import datetime
from statistics import mean
from zoneinfo import ZoneInfo

import pytest

from devices.kinds import get_kind
from devices.simulate import simulate

TZ = ZoneInfo("Europe/London")
DAYS = 14


@pytest.fixture(scope="module")
def winter():
    return simulate("tumble_dryer", 24 * DAYS, seed=7, start="2026-01-05T00:00")


def running(sample):
    return sample.on


def one_load(seed: int):
    """(phase, watts) at every tick of a load started by a command."""
    model = simulate("tumble_dryer", 0.1, params={"auto": "false"}, seed=seed).model
    model.switch(True, model.now)
    steps = []
    while model.on:
        steps.append((model.phase, model.power_w))
        model.advance_to(model.now + model.tick_s)
    return steps


def test_a_few_loads_a_week_in_winter_of_1_5_to_2_hours(winter):
    loads = winter.runs(running)
    assert 2.5 <= len(loads) / (DAYS / 7) <= 5
    assert all(90 * 60 <= d <= 120 * 60 + 5 for _, d in loads)
    starts = [datetime.fromtimestamp(t, TZ).hour for t, _ in loads]
    assert all(7 <= h < 22 for h in starts)  # laundry hours, someone at home and up


def test_2_to_4_kwh_a_load_and_half_a_watt_between(winter):
    loads = winter.runs(running)
    between = {s.power_w for s in winter.samples if not running(s)}
    assert between == {0.5}
    per_load = (winter.energy_wh - 0.5 * (winter.hours - sum(d for _, d in loads) / 3600)) / 1000
    assert 2.2 <= per_load / len(loads) <= 3.1


def test_heat_then_the_thermostat_cycles_then_a_cool_down():
    for seed in (1, 2, 3):
        steps = one_load(seed)
        assert [phase for phase, _ in itertools.groupby(p for p, _ in steps)] == [
            "heat", "dry", "cool"
        ]  # fmt: skip
        assert {w for p, w in steps if p == "heat"} == {2200}
        assert {w for p, w in steps if p == "cool"} == {200}
        drying = [w for p, w in steps if p == "dry"]
        assert set(drying) == {2200, 200} and 0.4 <= drying.count(2200) / len(drying) <= 0.6
        kwh = sum(w for _, w in steps) * 5 / 3.6e6
        assert 2.0 <= kwh <= 3.2 and 90 <= len(steps) * 5 / 60 <= 120


def test_loads_vary_in_length():
    lengths = {len(one_load(seed)) for seed in range(1, 6)}
    assert max(lengths) - min(lengths) >= 5 * 12  # at least 5 min apart


def test_more_loads_in_winter_than_in_summer():
    dryers = [get_kind("tumble_dryer").create({}, seed, 0.0, TZ) for seed in range(10)]

    def loads_a_week(month: int) -> float:
        """Loads a week in a month of ten homes: in summer most washing dries outside."""
        start = datetime(2026, month, 1, tzinfo=TZ).timestamp()
        weeks = [list(d.schedule.uses_between(start, start + 28 * 86400)) for d in dryers]
        return mean(len(uses) / 4 for uses in weeks)

    winter, summer = loads_a_week(1), loads_a_week(7)
    assert 2.5 <= winter <= 4.5 and 1.0 <= summer <= 2.0 and winter / summer >= 2


def test_without_auto_only_standby_is_drawn():
    assert simulate("tumble_dryer", 24, params={"auto": "false"}).energy_wh == pytest.approx(12)
