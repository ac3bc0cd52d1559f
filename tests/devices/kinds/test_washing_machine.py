"""Washing machine calibrated to appliances.md: heating ~2000 W for ~12 min, drum
100-300 W, spin 400-800 W, 70-140 min programs, 1 W standby, ~0.6 kWh a cycle; and
its programs to EU-label figures: 40 C ~0.7-0.9 kWh, 60 C ~1.2-1.4, eco 40-60 ~0.6-0.9
over ~3 h."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from devices.kinds import get_kind
from devices.params import ModelError
from devices.simulate import simulate
from testkit.program_steps import program_steps

WEEKS = 3


@pytest.fixture(scope="module")
def weeks():
    return simulate("washing_machine", 24 * 7 * WEEKS, seed=7)


def running(sample):
    return sample.on


def one_program(seed=1, **params):
    return program_steps("washing_machine", seed, **params)


def test_four_to_five_washes_a_week(weeks):
    assert 3 <= len(weeks.runs(running)) / WEEKS <= 6


def kwh(program):
    return sum(minutes * watts for _, minutes, watts in program) / 60 / 1000


def test_washes_last_80_minutes_to_3_hours_and_use_about_0_7_kwh(weeks):
    runs = weeks.runs(running)
    assert all(80 <= d / 60 <= 200 for _, d in runs)
    program_wh = sum(s.power_w for s in weeks.samples if running(s)) * weeks.step_s / 3600
    assert 0.5 <= program_wh / len(runs) / 1000 <= 0.9


def test_standby_is_one_watt(weeks):
    assert all(s.power_w == 1 and s.phase == "idle" for s in weeks.samples if not running(s))


def test_program_shape_matches_the_published_phases():
    program = one_program(program="cotton_40")
    assert [phase for phase, _, _ in program] == [
        "fill", "heat", "wash", "rinse", "spin", "rinse", "spin"
    ]  # fmt: skip
    for phase, minutes, watts in program:
        if phase == "heat":
            assert watts == 2000 and 12 <= minutes <= 18
        elif phase == "spin":
            assert 400 <= watts <= 800
        else:
            assert 100 <= watts <= 300
    assert 70 <= sum(minutes for _, minutes, _ in program) <= 140


PUBLISHED = {  # program: (kWh, minutes), low and high
    "cotton_30": ((0.4, 0.6), (80, 105)),
    "cotton_40": ((0.6, 0.9), (90, 115)),
    "cotton_60": ((1.0, 1.4), (110, 140)),
    "eco_40_60": ((0.6, 0.9), (160, 205)),
}


@pytest.mark.parametrize("name", PUBLISHED)
def test_each_program_uses_its_published_energy_and_time(name):
    (low_kwh, high_kwh), (low_min, high_min) = PUBLISHED[name]
    for seed in (1, 2, 3):
        program = one_program(seed, program=name)
        assert low_kwh <= kwh(program) <= high_kwh
        assert low_min <= sum(minutes for _, minutes, _ in program) <= high_min


def test_hotter_washes_heat_longer():
    def heat_minutes(name):
        return next(m for phase, m, _ in one_program(program=name) if phase == "heat")

    assert heat_minutes("cotton_30") < heat_minutes("cotton_40") < heat_minutes("cotton_60")


def test_the_same_program_varies_in_length():
    lengths = [sum(m for _, m, _ in one_program(seed, program="cotton_40")) for seed in range(8)]
    assert max(lengths) - min(lengths) >= 5


def test_mixed_draws_each_wash_at_its_share():
    model = get_kind("washing_machine").create({"auto": "false"}, 7, 0.0, ZoneInfo("UTC"))
    drawn = Counter()
    for _ in range(2000):
        model.program()
        drawn[model.chosen] += 1
    assert 0.3 <= drawn["cotton_30"] / 2000 <= 0.4
    assert 0.35 <= drawn["cotton_40"] / 2000 <= 0.45
    assert 0.07 <= drawn["cotton_60"] / 2000 <= 0.13
    assert 0.12 <= drawn["eco_40_60"] / 2000 <= 0.18


def test_an_unknown_program_is_refused_naming_the_known_ones():
    with pytest.raises(ModelError, match="cotton_30, cotton_40, cotton_60, eco_40_60, mixed"):
        get_kind("washing_machine").create({"program": "boil"}, 7, 0.0, ZoneInfo("UTC"))


def test_washes_start_in_the_morning_or_evening_and_more_at_weekends(weeks):
    starts = [datetime.fromtimestamp(t, weeks.model.tz) for t, _ in weeks.runs(running)]
    assert all(7 <= s.hour < 22 for s in starts)  # someone is up
    day_or_evening = [s for s in starts if 8 <= s.hour < 12 or 17 <= s.hour < 21]
    assert len(day_or_evening) / len(starts) >= 0.5
    weekend = sum(s.weekday() >= 5 for s in starts)
    assert weekend / 2 > (len(starts) - weekend) / 5  # per day


def test_on_starts_a_program_that_ends_by_itself():
    model = simulate("washing_machine", 0.1, params={"auto": "false"}).model
    assert (model.on, model.power_w, model.phase) == (False, 1, "idle")
    model.switch(True, model.now)
    assert (model.on, model.phase) == (True, "fill")
    model.advance_to(model.now + 3 * 3600)
    assert (model.on, model.power_w, model.phase) == (False, 1, "idle")


def test_off_stops_a_program_at_once_and_it_stays_off():
    model = simulate("washing_machine", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    model.advance_to(model.now + 6 * 60)
    assert model.phase == "heat"
    model.switch(False, model.now)
    assert (model.on, model.power_w, model.phase) == (False, 1, "idle")
    assert model.advance_to(model.now + 3600) == 1


def test_without_auto_only_standby_is_drawn():
    trace = simulate("washing_machine", 48, params={"auto": "false"})
    assert not any(s.on for s in trace.samples)
    assert trace.energy_wh == pytest.approx(48)
