"""Fridge-freezer calibrated to appliances.md: ~190 W compressor, 22 min runs, a
350-600 W defrost of 25-45 min every 8-15 h, ~0.9-1.1 kWh a day (test 0.8-1.3), more in a
warm summer kitchen."""

import itertools

import pytest

from devices.kinds.fridge_freezer import FridgeFreezer
from devices.simulate import simulate
from devices.weather import indoor_c

DAYS = 14


@pytest.fixture(scope="module")
def fortnight():
    return simulate("fridge_freezer", 24 * DAYS, seed=7)


def cooling(sample):
    return sample.phase == "cooling"


def defrosting(sample):
    return sample.phase == "defrost"


def test_power_levels_are_the_compressor_and_the_defrost_heater(fortnight):
    assert {s.power_w for s in fortnight.samples} == {0.0, 190.0, 450.0}
    assert all(s.power_w == 190 for s in fortnight.samples if cooling(s))
    assert all(350 <= s.power_w <= 600 for s in fortnight.samples if defrosting(s))
    assert all(s.power_w == 0 for s in fortnight.samples if s.phase == "idle")


def test_compressor_runs_last_about_22_minutes(fortnight):
    runs = [d / 60 for _, d in fortnight.runs(cooling)[1:-1]]
    assert all(17.9 <= d <= 26.1 for d in runs)
    assert 20 <= sum(runs) / len(runs) <= 24


def test_defrosts_match_the_published_shape(fortnight):
    last = fortnight.samples[-1].t
    defrosts = [run for run in fortnight.runs(defrosting) if sum(run) <= last]  # complete ones
    assert 1.5 <= len(defrosts) / DAYS <= 3  # every 8-15 h
    assert all(25 * 60 - 5 <= d <= 45 * 60 + 5 for _, d in defrosts)
    gaps_h = [(b[0] - a[0]) / 3600 for a, b in itertools.pairwise(defrosts)]
    assert all(8 <= gap <= 15 for gap in gaps_h)


def test_a_defrost_follows_a_run_and_is_followed_by_a_pull_down(fortnight):
    samples = fortnight.samples
    edges = [
        i for i in range(1, len(samples)) if defrosting(samples[i - 1]) != defrosting(samples[i])
    ]
    assert len(edges) >= 2 * DAYS
    for i in edges:
        # entering: the run just ended; leaving: a pull-down run starts at once
        assert samples[i - 1 if defrosting(samples[i]) else i].phase == "cooling"


def test_daily_energy_and_duty(fortnight):
    kwh_per_day = fortnight.energy_wh / DAYS / 1000
    assert 0.8 <= kwh_per_day <= 1.3
    # CREST's ~26 % is whole-appliance energy: as a share of 190 W all day
    assert 0.20 <= kwh_per_day / (0.190 * 24) <= 0.30
    assert 0.12 <= fortnight.share(cooling) <= 0.26


def test_off_stops_even_a_defrost_and_on_restarts_with_a_run():
    model = simulate("fridge_freezer", 1).model
    model.phase = "idle"
    model.defrost_due = model.now  # due: starts at the end of the next run
    model.ends_at = model.now + 5.0
    model.advance_to(model.now + 10)
    assert model.phase == "cooling"
    model.advance_to(model.now + 30 * 60)
    assert (model.phase, model.power_w) == ("defrost", 450)
    model.switch(False, model.now)
    assert (model.on, model.power_w, model.phase) == (False, 0, "off")
    assert model.advance_to(model.now + 3600) == 0
    model.switch(True, model.now)
    assert (model.on, model.power_w, model.phase) == (True, 190, "cooling")


def test_it_runs_alone_with_tunable_powers():
    assert not FridgeFreezer.usage  # no occupant: auto=false changes nothing
    trace = simulate("fridge_freezer", 30, params={"rated_w": 150, "defrost_w": 350})
    assert {s.power_w for s in trace.samples} == {0.0, 150.0, 350.0}


class MinuteFridgeFreezer(FridgeFreezer):
    """The same model on a 1 min grid: weeks in a fraction of a second."""

    tick_s = 60.0


def test_a_july_kitchen_makes_the_compressor_work_harder_than_a_january_one():
    seed = 7
    jan = simulate(MinuteFridgeFreezer, 24 * DAYS, seed=seed, start="2026-01-08T00:00")
    jul = simulate(MinuteFridgeFreezer, 24 * DAYS, seed=seed, start="2026-07-08T00:00")

    def room(trace):
        every_hour = trace.samples[::60]
        return sum(indoor_c(s.t, seed) for s in every_hour) / len(every_hour)

    ratio = jul.energy_wh / jan.energy_wh
    per_degree = (ratio - 1) / (room(jul) - room(jan))
    assert 1.07 <= ratio <= 1.30
    # the defrost heater's energy does not depend on the room: a little under a fridge's rise
    assert 0.015 <= per_degree <= 0.04
