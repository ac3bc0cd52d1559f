"""The energy ledger: pricing, day boundaries and home-level netting, hand-computed."""

from dataclasses import astuple
from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.ledger import EnergyLedger
from hub.core.meters import Delta
from hub.core.tariff import Tariff
from testkit.configs import ECONOMY_7_TARIFF as ECONOMY_7

LONDON = ZoneInfo("Europe/London")


def at(day: int, hour: int, minute: int = 0) -> float:
    return datetime(2026, 6, day, hour, minute, tzinfo=LONDON).timestamp()


@pytest.fixture
def ledger() -> EnergyLedger:
    return EnergyLedger(Tariff(ECONOMY_7, LONDON))


def test_a_known_day_under_economy_7_costs_exactly(ledger):
    # 1 kWh at 03:00 (night), 2 kWh at 12:00 (day), 0.5 kWh at 23:00 (day)
    ledger.add("heater", "load", Delta(at(15, 3), at(15, 3, 1), 1000.0))
    ledger.add("oven", "load", Delta(at(15, 12), at(15, 12, 30), 2000.0))
    ledger.add("tv", "load", Delta(at(15, 23), at(15, 23, 10), 500.0))
    day = ledger.day(date(2026, 6, 15))
    assert day.consumption_wh == pytest.approx(3500.0)
    assert day.import_wh == pytest.approx(3500.0)
    assert day.cost == pytest.approx(1 * 0.09 + 2 * 0.30 + 0.5 * 0.30)
    assert day.carbon_g == pytest.approx(3.5 * 149)
    assert day.device_cost["heater"] == pytest.approx(0.09)
    assert day.device_wh == pytest.approx({"heater": 1000.0, "oven": 2000.0, "tv": 500.0})


def test_a_reading_pair_straddling_a_period_boundary_is_split(ledger):
    # 60 min from 07:00 to 08:00: 30 min at night rate, 30 min at day rate
    ledger.add("ev", "load", Delta(at(15, 7), at(15, 8), 7400.0))
    assert ledger.day(date(2026, 6, 15)).cost == pytest.approx(3.7 * 0.09 + 3.7 * 0.30)


def test_a_reading_pair_straddling_midnight_is_split_by_day(ledger):
    ledger.add("ev", "load", Delta(at(15, 23), at(16, 1), 2000.0))
    first, second = ledger.day(date(2026, 6, 15)), ledger.day(date(2026, 6, 16))
    assert first.consumption_wh == pytest.approx(1000.0)
    assert second.consumption_wh == pytest.approx(1000.0)
    # 00:00-00:30 is still day rate, 00:30-01:00 night
    assert second.cost == pytest.approx(0.5 * 0.30 + 0.5 * 0.09)


def test_solar_nets_against_consumption_minute_by_minute(ledger):
    noon = at(15, 12)
    ledger.add("roof", "generation", Delta(noon, noon + 60, 50.0))  # 3 kW for a minute
    ledger.add("kettle", "load", Delta(noon, noon + 60, 40.0))  # 2.4 kW for a minute
    ledger.add("roof", "generation", Delta(noon + 60, noon + 120, 50.0))  # solar alone next minute
    day = ledger.day(date(2026, 6, 15))
    assert day.production_wh == pytest.approx(100.0)
    assert day.import_wh == pytest.approx(0.0)
    assert day.export_wh == pytest.approx(60.0)
    assert day.cost == pytest.approx(-0.060 * 0.15)
    assert day.device_cost["roof"] == pytest.approx(-0.100 * 0.15)


def test_a_battery_exporting_does_not_count_as_solar_unused(ledger):
    """Solar serves the home first: in a minute of 30 Wh made, 10 used and a forced
    discharge of 40, the 60 exported are 20 of solar and 40 of the battery."""
    noon = at(15, 12)
    ledger.add("roof", "generation", Delta(noon, noon + 60, 30.0))
    ledger.add("kettle", "load", Delta(noon, noon + 60, 10.0))
    ledger.add("battery", "discharge", Delta(noon, noon + 60, 40.0))
    ledger.add("battery", "charge", Delta(noon + 60, noon + 120, 20.0))  # then from solar
    ledger.add("roof", "generation", Delta(noon + 60, noon + 120, 30.0))
    day = ledger.day(date(2026, 6, 15))
    assert day.export_wh == pytest.approx(60.0 + 10.0)
    assert day.self_consumed_wh == pytest.approx(10.0 + 20.0)  # production - export: -10
    assert day.battery_used_wh == pytest.approx(0.0)


def test_month_sums_the_days(ledger):
    ledger.add("a", "load", Delta(at(1, 12), at(1, 13), 1000.0))
    ledger.add("a", "load", Delta(at(15, 12), at(15, 13), 1000.0))
    assert ledger.month(date(2026, 6, 20)).consumption_wh == pytest.approx(2000.0)
    assert ledger.month(date(2026, 7, 1)).consumption_wh == 0.0


def test_changed_minutes_are_reported_once(ledger):
    ledger.add("a", "load", Delta(at(15, 12), at(15, 12, 2), 120.0))
    ledger.note_power("a", at(15, 12, 1) + 5, 3600.0)
    devices, homes = ledger.take_changes()
    assert [h.minute for h in homes] == [int(at(15, 12)), int(at(15, 12, 1))]
    assert [d.energy_wh for d in devices] == [pytest.approx(60.0), pytest.approx(60.0)]
    assert devices[1].power_max_w == 3600.0
    assert devices[0].power_avg_w == pytest.approx(3600.0)
    assert devices[0].power_max_w == pytest.approx(3600.0)  # no reading: the average
    assert ledger.take_changes() == ([], [])


def test_energy_older_than_the_kept_minutes_still_counts_as_import():
    ledger = EnergyLedger(Tariff(ECONOMY_7, LONDON), keep_minutes=60)
    ledger.add("roof", "generation", Delta(at(15, 12), at(15, 12, 1), 50.0))
    ledger.add("roof", "generation", Delta(at(15, 15), at(15, 15, 1), 50.0))  # 3 h later
    ledger.forget_before(at(15, 15, 1))
    ledger.add("late", "load", Delta(at(15, 12), at(15, 12, 1), 40.0))
    day = ledger.day(date(2026, 6, 15))
    assert day.consumption_wh == pytest.approx(40.0)
    assert day.import_wh == pytest.approx(40.0)  # not netted: that minute is gone


def test_a_zero_length_delta_lands_in_its_minute(ledger):
    ledger.add("a", "load", Delta(at(15, 12), at(15, 12), 10.0))
    assert ledger.day(date(2026, 6, 15)).cost == pytest.approx(0.010 * 0.30)


readings = st.lists(
    st.tuples(
        st.sampled_from(["kettle", "fridge", "roof", "battery", "battery-out"]),
        st.integers(0, 60 * 60),  # start, seconds after 07:00 (across the 07:30 change)
        st.sampled_from([0, 1, 2, 30, 59, 61, 600, 3600]),  # length: within a minute or across
        st.floats(0, 500),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(readings)
def test_a_days_totals_are_the_sum_of_its_netted_minutes(readings):
    """Whichever way a reading is booked (the one-minute fast path or split by the
    tariff), the day's figures equal the minutes' netting, added up."""
    ledger = EnergyLedger(Tariff(ECONOMY_7, LONDON))
    seven = at(15, 7)
    flows = {"roof": "generation", "battery": "charge", "battery-out": "discharge"}
    for device, start, length, energy in readings:
        ledger.add(
            device.removesuffix("-out"),
            flows.get(device, "load"),
            Delta(seven + start, seven + start + length, energy),
        )
    _, minutes = ledger.take_changes()
    day = ledger.day(date(2026, 6, 15))
    for name in (
        *("consumption_wh", "production_wh", "import_wh", "export_wh", "cost", "carbon_g"),
        *("battery_in_wh", "battery_out_wh", "self_consumed_wh"),
    ):
        expected = sum(getattr(minute, name) for minute in minutes)
        assert getattr(day, name) == pytest.approx(expected, rel=1e-9, abs=1e-9), name
    assert sum(day.device_wh.values()) == pytest.approx(
        day.consumption_wh + day.production_wh, rel=1e-9, abs=1e-9
    )


def test_a_stretch_books_as_its_minutes_one_by_one():
    """A delta over many minutes (booked a day's segment at a time) leaves the same
    figures as the same power reported every minute: days, devices, meters, minutes."""
    whole, by_minute = (EnergyLedger(Tariff(ECONOMY_7, LONDON)) for _ in range(2))
    start = at(15, 23, 7) + 13.5  # over midnight and the night rate's start, off the minute
    for ledger in (whole, by_minute):  # the sun and a battery's discharge to net against
        for minute in range(0, 120, 7):
            t = start + 60 * minute
            ledger.add("roof", "generation", Delta(t, t + 60, 1.5 + minute % 3))
            ledger.add("battery", "discharge", Delta(t + 30, t + 90, 0.7))
    end = start + 100 * 60 + 21.0
    whole.add("fridge", "load", Delta(start, end, 0.02 * (end - start)))
    edges = [start, *range(int(start // 60 + 1) * 60, int(end), 60), end]
    for t0, t1 in pairwise(edges):
        by_minute.add("fridge", "load", Delta(t0, t1, 0.02 * (t1 - t0)))
    for day in (date(2026, 6, 15), date(2026, 6, 16)):
        one, other = whole.day(day), by_minute.day(day)
        for name in ("consumption_wh", "import_wh", "export_wh", "cost", "carbon_g"):
            assert getattr(one, name) == pytest.approx(getattr(other, name), rel=1e-12), name
        assert one.self_consumed_wh == pytest.approx(other.self_consumed_wh, rel=1e-12)
        assert one.device_wh == pytest.approx(other.device_wh, rel=1e-12)
        assert one.device_cost == pytest.approx(other.device_cost, rel=1e-12)
    assert whole.meters.import_wh == pytest.approx(by_minute.meters.import_wh, rel=1e-12)
    assert whole.meters.export_wh == pytest.approx(by_minute.meters.export_wh, rel=1e-12)
    (devices, homes), (other_devices, other_homes) = whole.take_changes(), by_minute.take_changes()
    assert len(homes) == len(other_homes) > 100
    for home, other_home in zip(homes, other_homes, strict=True):
        assert astuple(home) == pytest.approx(astuple(other_home), rel=1e-12, abs=1e-15)
    rows = {(d.minute, d.device): (d.energy_wh, d.cost, d.power_max_w) for d in devices}
    other_rows = {(d.minute, d.device): (d.energy_wh, d.cost, d.power_max_w) for d in other_devices}
    assert rows.keys() == other_rows.keys()
    for key, row in rows.items():
        assert row == pytest.approx(other_rows[key], rel=1e-12, abs=1e-15), key
