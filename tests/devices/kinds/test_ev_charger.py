"""EV charger calibrated to appliances.md: 7.4 kW constant power until nearly full, then
tapering; 40-60 kWh batteries; the car plugged in after the evening commute."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from devices.kinds.ev_charger import CHARGE_EFFICIENCY, EvCharger
from devices.params import ModelError
from devices.simulate import simulate

DAYS = 7  # from Monday 2026-06-15


@pytest.fixture(scope="module")
def week():
    return simulate("ev_charger", 24 * DAYS, seed=5, start="2026-06-15T00:00")


def charging(sample):
    return sample.power_w > 0


def local(trace, t):
    return datetime.fromtimestamp(t, trace.model.tz)


def test_bulk_charge_is_constant_7_4_kw_then_tapers(week):
    bulk = [s.power_w for s in week.samples if s.phase == "charging"]
    taper = [s.power_w for s in week.samples if s.phase == "tapering"]
    assert bulk and set(bulk) == {7400.0}
    assert taper and all(0.5 * 7400 <= p < 7400 for p in taper)  # 80 -> 90 % SoC
    assert all(s.power_w == 0 for s in week.samples if s.phase in ("plugged", "unplugged"))


def test_sessions_start_after_the_evening_commute_and_end_before_morning(week):
    sessions = week.runs(charging)
    assert 3 <= len(sessions) <= DAYS
    for start, duration in sessions:
        when = local(week, start)
        assert (17, 30) <= (when.hour, when.minute) < (19, 30) or when.weekday() >= 5
        # 30-70 % -> 90 % of 60 kWh at 7.4 kW: about 2-6 h
        assert 1.5 * 3600 <= duration <= 6.5 * 3600
    # weekday working hours: the car is away
    for s in week.samples:
        when = local(week, s.t)
        if when.weekday() < 5 and 9 <= when.hour < 17:
            assert s.phase == "unplugged"


def test_daily_energy_is_a_commuters(week):
    # each session puts 12-36 kWh into the battery: ~10-20 kWh a day on average
    assert 8 <= week.energy_wh / 1000 / DAYS <= 25


def charge_from(soc: float, **params):
    """A model with a car at `soc` plugged in and charging, the occupant's schedule off."""
    model = simulate("ev_charger", 0.01, params={"auto": "false", **params}).model
    model.switch(True, model.now)
    model.soc = soc
    model.advance_to(model.now + model.tick_s)
    return model


def run_until_idle(model) -> None:
    while model.power_w > 0:
        model.advance_to(model.now + 60)


def test_charging_stops_at_the_target_soc():
    model = charge_from(0.5)
    assert model.phase == "charging" and model.power_w == 7400
    run_until_idle(model)
    assert model.soc == pytest.approx(0.9, abs=0.001)
    assert (model.on, model.phase) == (True, "plugged")


def test_taper_reaches_a_tenth_of_rated_power_near_full():
    model = charge_from(0.79, target_soc=100)
    powers = []
    while model.power_w > 0 and model.soc < 0.995:
        model.advance_to(model.now + 60)
        powers.append((model.soc, model.power_w))
    assert all(a[1] >= b[1] for a, b in itertools.pairwise(powers))
    near_full = [p for soc, p in powers if soc > 0.99]
    assert near_full and all(0.08 * 7400 <= p <= 0.2 * 7400 for p in near_full)


def test_a_full_charge_stores_the_battery_energy():
    model = charge_from(0.0, target_soc=100, battery_kwh=50)
    start_wh = model.energy_wh
    run_until_idle(model)
    assert model.soc == pytest.approx(1.0, abs=0.001)
    assert (model.energy_wh - start_wh) / 1000 == pytest.approx(50 / CHARGE_EFFICIENCY, rel=0.01)


def test_level_limits_the_current():
    model = charge_from(0.4)
    model.set_level(50, model.now)
    assert model.power_w == pytest.approx(3700)
    model.set_level(10, model.now)  # below the 6 A minimum: paused
    assert (model.power_w, model.phase) == (0, "plugged")
    model.set_level(100, model.now)
    assert model.power_w == 7400


def test_off_stops_charging_and_on_resumes():
    model = charge_from(0.4)
    model.switch(False, model.now + 2)
    assert (model.on, model.phase, model.power_w) == (False, "plugged", 0)
    soc = model.soc
    model.advance_to(model.now + 3600)
    assert model.soc == soc
    model.switch(True, model.now)
    assert (model.phase, model.power_w) == ("charging", 7400)


def test_on_plugs_in_a_car_with_30_to_70_percent():
    model = simulate("ev_charger", 0.01, params={"auto": "false"}).model
    assert (model.on, model.phase) == (False, "unplugged")
    model.switch(True, model.now)
    assert model.phase == "charging" and 0.3 <= model.soc <= 0.7


def test_without_auto_nothing_happens_by_itself():
    assert simulate("ev_charger", 48, params={"auto": "false"}).energy_wh == 0


def test_a_model_started_overnight_joins_the_evening_session():
    # the fixture's car came home on Monday evening and is still plugged in at 03:00
    later = simulate("ev_charger", 1, seed=5, start="2026-06-16T03:00")
    assert later.samples[0].phase == "plugged"
    assert later.model.soc == pytest.approx(0.9, abs=0.001)  # charged since the evening


@pytest.fixture(scope="module")
def smart_week():
    return simulate("ev_charger", 24 * DAYS, seed=5, start="2026-06-15T00:00", params=SMART)


SMART = {"mode": "smart"}


def test_smart_mode_charges_only_in_the_off_peak_hours(week, smart_week):
    sessions = smart_week.runs(charging)
    assert sessions
    for start, duration in sessions:
        begins, ends = local(smart_week, start), local(smart_week, start + duration)
        assert (begins.hour, begins.minute) >= (0, 30) and (ends.hour, ends.minute) <= (7, 30)
    # the car waits for the timer, with the evening's arrivals in phase "waiting"
    evening = [s for s in smart_week.samples if local(smart_week, s.t).hour in (20, 21)]
    assert {s.phase for s in evening} <= {"waiting", "unplugged", "plugged"}
    assert "waiting" in {s.phase for s in evening}
    # the same cars come home: what "now" puts in the evening, "smart" puts in the night
    assert smart_week.energy_wh == pytest.approx(week.energy_wh, rel=0.25)


def test_the_timer_opens_at_the_same_moment_whatever_the_reporting_period():
    def night(step_s: float) -> list[tuple[float, float]]:
        model = simulate("ev_charger", 0.01, seed=5, start="2026-06-15T21:00", params=SMART).model
        model.switch(True, model.now)  # plugged in, then the timer takes over
        model.switch(False, model.now + 1)
        model.switch(True, model.now + 1)
        readings = []
        for n in range(1, round(6 * 3600 / step_s) + 1):
            model.advance_to(model.now + step_s)
            if n * step_s % 600 == 0:
                readings.append((model.power_w, model.energy_wh))
        return readings

    fine, coarse = night(1.0), night(600.0)
    assert [p for p, _ in fine] == [p for p, _ in coarse]
    assert [e for _, e in fine] == pytest.approx([e for _, e in coarse], rel=1e-9)


def test_on_in_smart_mode_charges_now_and_off_stops_it():
    params = {"auto": "false", **SMART}
    model = simulate("ev_charger", 0.01, params=params, start="2026-06-15T19:00").model
    model.switch(True, model.now)  # 19:00: a person wants the car charged now
    assert (model.phase, model.power_w) == ("charging", 7400)
    model.switch(False, model.now + 60)
    assert (model.phase, model.power_w) == ("plugged", 0)
    assert not model.boosted


def test_a_bad_timer_is_refused_in_one_clear_line():
    for bad in ("midnight", "00:30", "07:30-07:30", "25:00-07:00"):
        with pytest.raises(ModelError, match="offpeak"):
            EvCharger.create({"offpeak": bad}, 1, 0.0, ZoneInfo("Europe/London"))
    with pytest.raises(ModelError, match="expected one of off, now, minpv, pv, smart"):
        EvCharger.create({"mode": "later"}, 1, 0.0, ZoneInfo("Europe/London"))


def plugged_in(mode: str, soc: float = 0.4):
    """A car at `soc`, plugged in at noon on a June day, the charger in `mode`."""
    params = {"auto": "false", "mode": mode}
    model = simulate("ev_charger", 0.01, params=params, start="2026-06-15T12:00").model
    model.switch(True, model.now)
    model.set_mode(mode, model.now)  # ON is not a boost here: the mode decides
    model.soc = soc
    return model


def summaries(model, net_without_car_w: float, seconds: float, every_s: float = 5.0):
    """The hub's summaries for `seconds`: the home's net power with the car's draw in it."""
    end = model.now + seconds
    while model.now < end:
        model.follow_grid(net_without_car_w + model.power_w, model.now + every_s)


def test_off_never_charges_and_now_charges_at_once():
    model = plugged_in("off")
    model.advance_to(model.now + 3600)
    assert (model.power_w, model.phase, model.soc) == (0, "waiting", 0.4)
    model.set_mode("now", model.now)
    assert (model.power_w, model.phase) == (7400, "charging")


def test_pv_charges_from_the_surplus_after_evccs_delays():
    model = plugged_in("pv")
    summaries(model, -3000, 50)  # 3 kW exported: not yet a minute of it
    assert model.power_w == 0 and model.phase == "waiting"
    summaries(model, -3000, 20)
    assert model.power_w == pytest.approx(3000)  # the surplus, not the grid
    summaries(model, -3000, 60)
    assert model.power_w == pytest.approx(3000)  # stable: its own draw is not surplus
    summaries(model, +500, 120)  # a cloud: importing, but not for three minutes yet
    assert model.power_w == 0 and model.surplus.enabled
    summaries(model, +500, 70)
    assert not model.surplus.enabled and model.phase == "waiting"


def test_minpv_charges_at_six_amps_or_at_the_surplus_when_there_is_more():
    model = plugged_in("minpv")
    assert model.power_w == pytest.approx(7400 * 6 / 32)  # from the grid if need be
    summaries(model, -4000, 10)
    assert model.power_w == pytest.approx(4000)


def test_target_and_departure_are_set_at_run_time_and_bad_values_change_nothing():
    model = plugged_in("now", soc=0.75)
    model.set_target_soc(76, model.now)
    model.advance_to(model.now + 3600)
    assert model.soc == pytest.approx(0.76, abs=0.002) and model.phase == "plugged"
    model.set_departure("07:30", model.now)
    departure = datetime.fromtimestamp(model.departure(), model.tz)
    assert (departure.day, departure.hour, departure.minute) == (16, 7, 30)
    for bad in (lambda: model.set_target_soc(10, model.now),
                lambda: model.set_departure("soon", model.now),
                lambda: model.set_departure(model.now - 1, model.now),
                lambda: model.set_mode("turbo", model.now)):  # fmt: skip
        with pytest.raises(ModelError):
            bad()
    assert (model.target_soc, model.mode, model.departure()) == (76, "now", departure.timestamp())


def test_the_departure_is_the_occupants_next_drive(week):
    fresh = simulate("ev_charger", 20, seed=5, start="2026-06-15T00:00").model  # Monday 20:00
    assert fresh.plugged
    leaves = datetime.fromtimestamp(fresh.departure(), fresh.tz)
    assert leaves.weekday() == 1 and 7 <= leaves.hour < 9  # Tuesday's commute


def test_a_car_that_has_driven_off_leaves_its_charge_out_of_the_state():
    model = simulate("ev_charger", 20, seed=5, start="2026-06-15T00:00").model  # Monday 20:00
    assert model.state_fields()["soc_pct"] == round(100 * model.soc, 2)  # plugged in: known
    model.advance_to(model.departure() + 60)  # Tuesday's commute
    fields = model.state_fields()
    assert (fields["plugged"], fields["soc_pct"], fields["departure"]) == (False, None, None)
    assert model.soc > 0.5  # the model keeps the charge the car left with, unseen
