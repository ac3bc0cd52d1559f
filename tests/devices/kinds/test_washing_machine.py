"""Washing machine calibrated to appliances.md: heating ~2000 W for ~12 min, drum
100-300 W, spin 400-800 W, 70-140 min programs, 1 W standby, ~0.6 kWh a cycle."""

import itertools
from datetime import datetime

import pytest

from devices.simulate import simulate

WEEKS = 3


@pytest.fixture(scope="module")
def weeks():
    return simulate("washing_machine", 24 * 7 * WEEKS, seed=7)


def running(sample):
    return sample.on


def one_program(**params):
    """(phase, minutes, watts) of each step of a program started by a command."""
    model = simulate("washing_machine", 0.1, params={"auto": "false", **params}).model
    model.switch(True, model.now)
    steps = []
    while model.on:
        steps.append((model.phase, model.power_w))
        model.advance_to(model.now + model.tick_s)
    return [
        (phase, len(list(group)) * model.tick_s / 60, watts)
        for (phase, watts), group in itertools.groupby(steps)
    ]


def test_four_to_five_washes_a_week(weeks):
    assert 3 <= len(weeks.runs(running)) / WEEKS <= 6


def test_programs_last_70_to_140_minutes_and_use_about_0_6_kwh(weeks):
    runs = weeks.runs(running)
    assert all(70 <= d / 60 <= 140 for _, d in runs)
    program_wh = sum(s.power_w for s in weeks.samples if running(s)) * weeks.step_s / 3600
    assert 0.4 <= program_wh / len(runs) / 1000 <= 0.9


def test_standby_is_one_watt(weeks):
    assert all(s.power_w == 1 and s.phase == "idle" for s in weeks.samples if not running(s))


def test_program_shape_matches_the_published_phases():
    program = one_program()
    assert [phase for phase, _, _ in program] == [
        "fill", "heat", "wash", "rinse", "spin", "rinse", "spin"
    ]  # fmt: skip
    for phase, minutes, watts in program:
        if phase == "heat":
            assert watts == 2000 and 10 <= minutes <= 14
        elif phase == "spin":
            assert 400 <= watts <= 800
        else:
            assert 100 <= watts <= 300
    assert 70 <= sum(minutes for _, minutes, _ in program) <= 140


def test_hotter_washes_heat_longer():
    def heat_minutes(temperature):
        return next(m for phase, m, _ in one_program(temperature_c=temperature) if phase == "heat")

    assert heat_minutes(30) < 10 < heat_minutes(40) < 14 < 18 < heat_minutes(60)
    assert sum(m for _, m, _ in one_program(temperature_c=90)) <= 140


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
    model.advance_to(model.now + 10 * 60)
    assert model.phase == "heat"
    model.switch(False, model.now)
    assert (model.on, model.power_w, model.phase) == (False, 1, "idle")
    assert model.advance_to(model.now + 3600) == 1


def test_without_auto_only_standby_is_drawn():
    trace = simulate("washing_machine", 48, params={"auto": "false"})
    assert not any(s.on for s in trace.samples)
    assert trace.energy_wh == pytest.approx(48)
