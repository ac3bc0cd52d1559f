"""Lighting calibrated to appliances.md: LED lamps, on with occupancy in the dark only."""

from datetime import datetime

import pytest

from devices.simulate import simulate
from devices.weather import irradiance_w_m2

DAYS = 7


@pytest.fixture(scope="module")
def june():
    return simulate("light", 24 * DAYS, seed=7, start="2026-06-15T00:00")


@pytest.fixture(scope="module")
def december():
    return simulate("light", 24 * DAYS, seed=7, start="2025-12-15T00:00")


def at(model, local):
    return datetime.fromisoformat(local).replace(tzinfo=model.tz).timestamp()


def lit(sample):
    return sample.power_w > 0


def test_lit_power_is_a_few_led_lamps(june, december):
    for trace in (june, december):
        powers = {s.power_w for s in trace.samples}
        assert powers == {0.0, 40.0}  # five 8 W LED lamps, nothing in standby
        assert all(s.on == lit(s) for s in trace.samples)


def test_lit_only_while_the_room_is_too_dark(june, december):
    for trace in (june, december):
        model = trace.model
        assert 30 <= model.dark_below_w_m2 <= 90  # the home's threshold, CREST's N(60, 10)
        lit_samples = [s for s in trace.samples if lit(s)]
        assert lit_samples
        # judged once a minute, at the start of the minute
        assert all(
            irradiance_w_m2(s.t // 60 * 60, model.weather_seed, 51.5, -0.13) < model.dark_below_w_m2
            for s in lit_samples
        )


def test_june_is_lit_in_late_evenings_and_dim_mornings_only(june):
    hours = [datetime.fromtimestamp(s.t, june.model.tz).hour for s in june.samples if lit(s)]
    assert sum(h >= 20 or h < 3 for h in hours) / len(hours) >= 0.7  # dusk is after 20:30 BST
    assert not [h for h in hours if 9 <= h < 15]  # a June midday is bright even under cloud


def test_december_evenings_and_weekday_mornings_are_lit(december):
    # a room is lit for much of a dark evening, not all of it: people move between rooms
    evenings = [s for h in range(18, 22) for s in december.at_local_hour(h)]
    assert december.share(lit) > 0.1
    assert 0.3 <= sum(map(lit, evenings)) / len(evenings) <= 0.9
    tz = december.model.tz
    lit_mornings = {
        datetime.fromtimestamp(s.t, tz).date()
        for s in december.samples
        if lit(s) and datetime.fromtimestamp(s.t, tz).hour < 9
    }
    assert len([d for d in lit_mornings if d.weekday() < 5]) >= 3  # sunrise is after 08:00


def test_june_barely_lit_december_much_of_the_evening(june, december):
    june_hours = june.share(lit) * 24
    december_hours = december.share(lit) * 24
    assert 0.2 <= june_hours <= 2.5
    assert 2.5 <= december_hours <= 7
    assert december.energy_wh > 2.5 * june.energy_wh


def test_power_scales_with_level():
    model = simulate("light", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    assert model.power_w == pytest.approx(40)
    model.set_level(40, model.now)
    assert model.power_w == pytest.approx(40 * 40 / 100)
    model.set_level(0, model.now)
    assert (model.on, model.phase, model.power_w) == (True, "on", 0)


def test_level_and_switch_are_independent():
    model = simulate("light", 0.1, params={"auto": "false"}).model
    model.set_level(40, model.now)
    assert (model.on, model.power_w) == (False, 0)  # dimming does not switch it on
    model.switch(True, model.now)
    assert model.power_w == pytest.approx(16)
    model.switch(False, model.now + 5)
    assert (model.on, model.power_w, model.level) == (False, 0, 40)
    model.switch(True, model.now + 5)
    assert model.power_w == pytest.approx(16)  # switching back on keeps the brightness


def test_off_holds_until_the_next_session():
    model = simulate("light", 0.1, seed=7, start="2025-12-15T00:00").model
    evening = at(model, "2025-12-15T17:00")
    uses = list(model.schedule.uses_between(evening, evening + 3 * 86400))
    first = next(u for u in uses if u.duration_s > 600)
    model.advance_to(first.start + 300)  # a dark December session
    assert model.on
    model.switch(False, model.now)
    next_dark = next(u for u in uses if u.start > model.now and model.is_dark(u.start + 60))
    model.advance_to(next_dark.start - 60)
    assert not model.on
    model.advance_to(next_dark.start + 60)
    assert model.on and model.power_w == 40


def test_on_holds_until_the_session_ends():
    model = simulate("light", 12, seed=7, start="2026-06-15T00:00").model  # noon in June
    assert not model.on
    model.switch(True, model.now)
    use = next(model.schedule.uses_between(model.now, model.now + 3 * 86400))
    model.advance_to(use.start + use.duration_s - 60)
    assert model.on  # daylight does not switch it off, nor the session's start
    model.advance_to(use.start + use.duration_s + 60)
    assert not model.on  # the occupant switched it off on leaving the room


def test_a_model_started_mid_evening_is_lit_at_once():
    model = simulate("light", 0.1, seed=7, start="2025-12-15T00:00").model
    evening = at(model, "2025-12-15T17:00")
    uses = model.schedule.uses_between(evening, evening + 86400)
    use = next(u for u in uses if u.duration_s > 1200)
    joined = datetime.fromtimestamp(use.start + 600, model.tz).strftime("%Y-%m-%dT%H:%M")
    trace = simulate("light", 0.1, seed=7, start=joined)  # a process started during the session
    assert lit(trace.samples[0])


def test_without_auto_nothing_happens_by_itself():
    trace = simulate("light", 24, params={"auto": "false"}, start="2025-12-15T00:00")
    assert trace.energy_wh == 0
    model = trace.model
    model.switch(True, model.now)
    assert model.advance_to(model.now + 86400) == 40  # on until a person switches it off
