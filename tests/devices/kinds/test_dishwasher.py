"""Dishwasher calibrated to appliances.md: two heating blocks of ~1800-3100 W (12
and 10 min), pump 80-160 W, drying 600 W, ~80-110 min, 0 W standby, 1.0-1.4 kWh a run;
and its programs to EU-label figures: eco ~0.8-0.9 kWh over ~3-3.5 h, intensive ~1.5 kWh."""

import itertools
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from devices.kinds import get_kind
from devices.params import ModelError
from devices.simulate import simulate
from testkit.program_steps import program_steps

DAYS = 14


@pytest.fixture(scope="module")
def fortnight():
    return simulate("dishwasher", 24 * DAYS, seed=7)


def running(sample):
    return sample.on


def one_program(seed=1, **params):
    return program_steps("dishwasher", seed, **params)


def test_runs_most_days_for_80_minutes_to_3_5_hours(fortnight):
    runs = fortnight.runs(running)
    assert 0.6 <= len(runs) / DAYS <= 1.2
    assert all(80 <= d / 60 <= 215 for _, d in runs)


def test_energy_per_run_and_no_standby(fortnight):
    runs = fortnight.runs(running)
    assert 0.85 <= fortnight.energy_wh / len(runs) / 1000 <= 1.2  # all of it is in the runs
    assert all(s.power_w == 0 and s.phase == "idle" for s in fortnight.samples if not s.on)


def test_each_run_is_the_published_sequence(fortnight):
    phases = [phase for phase, _ in itertools.groupby(s.phase for s in fortnight.samples)]
    runs = len(fortnight.runs(running))
    assert phases == ["idle", *["prewash", "heat", "wash", "rinse", "heat", "dry", "idle"] * runs]


PUBLISHED = {  # program: (kWh, minutes), low and high
    "eco": ((0.75, 0.95), (180, 215)),
    "normal": ((0.95, 1.15), (85, 105)),
    "intensive": ((1.35, 1.65), (105, 130)),
}


@pytest.mark.parametrize("name", PUBLISHED)
def test_each_program_uses_its_published_energy_and_time(name):
    (low_kwh, high_kwh), (low_min, high_min) = PUBLISHED[name]
    for seed in (1, 2, 3):
        program = one_program(seed, program=name)
        assert low_kwh <= sum(m * w for _, m, w in program) / 60 / 1000 <= high_kwh
        assert low_min <= sum(m for _, m, _ in program) <= high_min


def test_normal_has_two_heating_blocks_of_12_and_10_minutes():
    for seed in (1, 2, 3):
        blocks = [(m, w) for phase, m, w in one_program(seed, program="normal") if phase == "heat"]
        (first, w1), (second, w2) = blocks
        assert 10.5 <= first <= 13.5 and 8.5 <= second <= 11.5 and w1 == w2 == 2000


def test_eco_washes_longer_and_cooler_intensive_hotter():
    heating = {
        name: sum(m for phase, m, _ in one_program(program=name) if phase == "heat")
        for name in PUBLISHED
    }
    assert heating["eco"] < heating["normal"] < heating["intensive"]
    washing = {
        name: sum(m for phase, m, _ in one_program(program=name) if phase == "wash")
        for name in PUBLISHED
    }
    assert washing["eco"] > 2 * washing["normal"]


def test_mixed_draws_each_run_at_its_share():
    model = get_kind("dishwasher").create({"auto": "false"}, 7, 0.0, ZoneInfo("UTC"))
    drawn = Counter()
    for _ in range(2000):
        model.program()
        drawn[model.chosen] += 1
    assert 0.45 <= drawn["eco"] / 2000 <= 0.55 and 0.35 <= drawn["normal"] / 2000 <= 0.45


def test_an_unknown_program_is_refused_naming_the_known_ones():
    with pytest.raises(ModelError, match="eco, normal, intensive, mixed"):
        get_kind("dishwasher").create({"program": "quick"}, 7, 0.0, ZoneInfo("UTC"))


def test_pump_and_drying_power(fortnight):
    pumped = {s.power_w for s in fortnight.samples if s.phase in ("prewash", "wash", "rinse")}
    assert pumped and all(80 <= w <= 160 for w in pumped)
    drying = [s.power_w for s in fortnight.samples if s.phase == "dry"]
    assert set(drying) == {600, 0}  # heated, then the fan stops and the tub cools
    for name, (low, high) in {"eco": (7, 9), "normal": (22, 24), "intensive": (24, 26)}.items():
        heated = sum(m for p, m, w in one_program(program=name) if p == "dry" and w == 600)
        assert low <= heated <= high


def test_heater_power_is_a_parameter():
    params = {"auto": "false", "heater_w": 3000, "program": "normal"}
    model = simulate("dishwasher", 0.1, params=params).model
    model.switch(True, model.now)
    assert model.advance_to(model.now + 12 * 60) == 3000
    # the same energy: a stronger heater heats for less time
    blocks = [m for phase, m, _ in one_program(heater_w=3000, program="normal") if phase == "heat"]
    assert 7 <= blocks[0] <= 9 and 5.8 <= blocks[1] <= 7.5


def test_starts_after_dinner_or_after_a_weekend_lunch(fortnight):
    starts = [datetime.fromtimestamp(t, fortnight.model.tz) for t, _ in fortnight.runs(running)]
    evening = [s for s in starts if s.hour >= 18]
    assert len(evening) / len(starts) >= 0.7
    assert all(8 <= s.hour < 16 for s in starts if s not in evening)


def test_on_starts_a_program_that_ends_by_itself():
    model = simulate("dishwasher", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    assert (model.on, model.phase, model.power_w) == (True, "prewash", 120)
    model.advance_to(model.now + 4 * 3600)  # an eco run takes ~3.5 h
    assert (model.on, model.power_w, model.phase) == (False, 0, "idle")


def test_off_stops_a_program_at_once():
    model = simulate("dishwasher", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    model.advance_to(model.now + 12 * 60)
    assert model.phase == "heat"
    model.switch(False, model.now)
    assert (model.on, model.power_w, model.phase) == (False, 0, "idle")
    assert model.advance_to(model.now + 3600) == 0


def test_without_auto_nothing_happens_by_itself():
    assert simulate("dishwasher", 48, params={"auto": "false"}).energy_wh == 0
