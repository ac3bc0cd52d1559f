"""Heat pump calibrated to appliances.md: 800-2400 W modulating, 3 W standby, COP 3-4 at 10 C,
defrost ~5 min every ~45 min in the cold, more energy the colder it is."""

import itertools
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from devices.kinds.heat_pump import HeatPump, cop

LONDON = ZoneInfo("Europe/London")
SEED = 2
DAYS = 3


@dataclass(frozen=True)
class Row:
    t: float
    power_w: float
    phase: str
    outdoor_c: float
    indoor_c: float
    heat_w: float


@dataclass
class Run:
    model: HeatPump
    rows: list[Row]

    @property
    def kwh_per_day(self) -> float:
        return self.model.energy_wh / 1000 / DAYS

    def runs(self, inside) -> list[tuple[float, float]]:
        found, start = [], None
        for row in self.rows:
            if inside(row) and start is None:
                start = row.t
            elif not inside(row) and start is not None:
                found.append((start, row.t - start))
                start = None
        return found


def record(start: str, params=None) -> Run:
    t0 = datetime.fromisoformat(start).replace(tzinfo=LONDON).timestamp()
    model = HeatPump.create(params or {}, SEED, t0, LONDON)
    rows = []
    for i in range(round(DAYS * 86400 / model.tick_s)):
        t = t0 + i * model.tick_s
        model.advance_to(t)
        rows.append(
            Row(t, model.power_w, model.phase, model.outdoor_c, model.indoor_c, model.heat_w)
        )
    model.advance_to(t0 + len(rows) * model.tick_s)
    return Run(model, rows)


@pytest.fixture(scope="module")
def january():
    return record("2026-01-14T00:00")


@pytest.fixture(scope="module")
def april():
    return record("2026-04-15T00:00")


@pytest.fixture(scope="module")
def july():
    return record("2026-07-15T00:00")


def test_colder_months_take_more_energy(january, april, july):
    assert 10 <= january.kwh_per_day <= 30  # UK heat pump in January: ~15-25 kWh a day
    assert 1 <= april.kwh_per_day < january.kwh_per_day / 1.5
    # summer: the heating is off, the unit idles at standby
    assert all(r.power_w == 3.0 and r.phase == "idle" for r in july.rows)
    assert july.model.energy_wh == pytest.approx(3.0 * 24 * DAYS)


def test_power_is_standby_or_within_the_inverter_range(january, april):
    for run in (january, april):
        for r in run.rows:
            assert r.power_w == 3.0 or 800 <= r.power_w <= 2400
            assert (r.power_w > 3.0) == (r.phase in ("heating", "defrost"))
    levels = {r.power_w for r in january.rows if r.phase == "heating"}
    assert len(levels) >= 3  # it modulates, not just on/off


def test_cop_is_three_to_four_around_ten_degrees(april):
    assert cop(10.0) == pytest.approx(3.5)
    assert 2 <= cop(-5.0) < cop(0.0) < cop(10.0)
    mild = [r for r in april.rows if r.phase == "heating" and 8 <= r.outdoor_c <= 12]
    assert len(mild) > 100
    assert all(3.0 <= r.heat_w / r.power_w <= 4.0 for r in mild)


def test_defrosts_come_every_45_minutes_of_running_in_the_cold(january, april):
    defrosts = january.runs(lambda r: r.phase == "defrost")
    assert len(defrosts) >= 3
    assert all(duration == pytest.approx(300) for _, duration in defrosts)
    assert all(r.outdoor_c < 5 and r.power_w == 2400 for r in january.rows if r.phase == "defrost")
    starts = [t for t, _ in defrosts]
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 49 * 60
    assert min(r.outdoor_c for r in april.rows) > 5
    assert not april.runs(lambda r: r.phase == "defrost")


def test_mild_weather_cycles_with_runs_of_tens_of_minutes(april):
    runs = april.runs(lambda r: r.power_w > 3)
    assert len(runs) >= 6
    short = [d for _, d in runs if d < 10 * 60]
    assert len(short) <= len(runs) // 10
    # by day the house is kept at the setpoint (the sun may warm it further)
    day = [r for r in april.rows if datetime.fromtimestamp(r.t, LONDON).hour in range(10, 22)]
    assert min(r.indoor_c for r in day) >= 19.5
    assert all(r.indoor_c <= 20.5 for r in day if r.phase == "heating")


def test_night_setback_then_morning_warm_up(january):
    def mean_power(hours):
        rows = [r for r in january.rows if datetime.fromtimestamp(r.t, LONDON).hour in hours]
        return sum(r.power_w for r in rows) / len(rows)

    assert mean_power(range(7, 9)) > 1.3 * mean_power(range(1, 5))
    night = [r.indoor_c for r in january.rows if datetime.fromtimestamp(r.t, LONDON).hour == 5]
    assert min(night) >= 15 and max(night) <= 17.5


def test_on_while_running_changes_nothing():
    model = HeatPump.create({}, SEED, datetime(2026, 1, 14, 8, tzinfo=LONDON).timestamp(), LONDON)
    model.advance_to(model.now + 600)
    before = (model.phase, model.power_w)
    model.switch(True, model.now + 1)
    assert (model.phase, model.power_w) == before


def test_off_drops_to_standby_and_on_resumes():
    model = HeatPump.create({}, SEED, datetime(2026, 1, 14, 8, tzinfo=LONDON).timestamp(), LONDON)
    model.advance_to(model.now + 600)
    assert model.phase in ("heating", "defrost") and model.power_w >= 800
    model.switch(False, model.now + 3)
    assert (model.on, model.phase, model.power_w) == (False, "off", 3.0)
    indoor = model.indoor_c
    model.advance_to(model.now + 3600)
    assert model.power_w == 3.0 and model.indoor_c < indoor - 0.5
    model.switch(True, model.now)
    assert model.phase == "heating" and model.power_w >= 800
