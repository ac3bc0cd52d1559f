"""The price series (hub.core.prices, hub.core.agile): fixed periods, a file's slots, the
agile-like generator, and the ledger costing each minute at its slot's prices."""

import datetime as dt
import statistics
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from hub.core.agile import AgileModel
from hub.core.ledger import EnergyLedger
from hub.core.meters import Delta
from hub.core.prices import FixedPrices, TablePrices, price_series
from hub.core.settings import AgileLike, PriceFile, TariffConfig
from hub.core.tariff import Tariff
from protocol import Prices, PriceSlot
from testkit.configs import ECONOMY_7_TARIFF as ECONOMY_7

LONDON = ZoneInfo("Europe/London")
AGILE = TariffConfig(prices=AgileLike(seed=1))


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> float:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LONDON).timestamp()


def slot(start: float, minutes: float, imported: float, exported: float, co2: float) -> PriceSlot:
    return PriceSlot(
        start=start,
        end=start + minutes * 60,
        import_price=imported,
        export_price=exported,
        co2_g_per_kwh=co2,
    )


def table(*rows: tuple[float, float, float, float, float | None]) -> TariffConfig:
    return TariffConfig(
        export_rate=0.15,
        carbon_g_per_kwh=149,
        periods=ECONOMY_7.periods,
        prices=PriceFile("/data/prices.csv", rows),
    )


# ---- fixed periods: one case of the series -------------------------------------------


def test_fixed_periods_are_slots_of_the_period_rate_the_export_rate_and_the_carbon():
    series = price_series(ECONOMY_7, LONDON)
    assert isinstance(series, FixedPrices)
    night = series.slot_at(at(15, 3))
    assert (night.start, night.end) == (at(15, 0, 30), at(15, 7, 30))
    assert (night.import_price, night.export_price, night.co2_g_per_kwh) == (0.09, 0.15, 149)
    assert series.name_at(at(15, 3)) == "night"
    # the day period runs past midnight, but a slot is cut there, as the tariff's days are
    assert [(s.start, s.end, s.import_price) for s in series.slots(at(15, 12), at(16, 12))] == [
        (at(15, 7, 30), at(16, 0), 0.30),
        (at(16, 0), at(16, 0, 30), 0.30),
        (at(16, 0, 30), at(16, 7, 30), 0.09),
        (at(16, 7, 30), at(17, 0), 0.30),
    ]


def test_slots_over_an_empty_or_backward_range():
    series = price_series(ECONOMY_7, LONDON)
    assert series.slots(at(15, 3), at(15, 3)) == []
    with pytest.raises(ValueError, match="t0 <= t1"):
        series.slots(at(15, 3), at(15, 2))


# ---- a file's slots ------------------------------------------------------------------


def test_a_files_slots_apply_over_its_span_and_the_periods_outside_it():
    start = at(15, 16)
    series = price_series(
        table(
            (start, start + 1800, 0.35, 0.20, 250.0),
            (start + 1800, start + 3600, -0.02, 0.01, None),
        ),
        LONDON,
    )
    assert isinstance(series, TablePrices) and series.span == (start, start + 3600)
    assert series.slot_at(start + 10) == slot(start, 30, 0.35, 0.20, 250.0)
    # a row without carbon takes the tariff's carbon_g_per_kwh
    assert series.slot_at(start + 1800) == slot(start + 1800, 30, -0.02, 0.01, 149.0)
    assert series.name_at(start) == "prices.csv"
    before, after = series.slot_at(start - 1), series.slot_at(start + 3600)
    assert (before.start, before.end, before.import_price) == (at(15, 7, 30), start, 0.30)
    assert (after.start, after.end, after.import_price) == (start + 3600, at(16, 0), 0.30)
    assert series.name_at(start - 1) == "day"
    covered = series.slots(at(15, 12), at(15, 20))
    assert [s.start for s in covered] == [at(15, 7, 30), start, start + 1800, start + 3600]
    Prices(currency="GBP", slots=tuple(covered))  # contiguous: the contract's payload accepts it


# ---- the agile-like generator --------------------------------------------------------


def year_of_slots(seed: int) -> list[PriceSlot]:
    return price_series(TariffConfig(prices=AgileLike(seed)), LONDON).slots(
        at(1, 0, month=1), dt.datetime(2027, 1, 1, tzinfo=LONDON).timestamp()
    )


@pytest.fixture(scope="module")
def year() -> list[PriceSlot]:
    return year_of_slots(1)


def hour(s: PriceSlot) -> int:
    return dt.datetime.fromtimestamp(s.start, LONDON).hour


def test_the_generator_is_the_same_for_a_seed_and_any_range_alone():
    one, again = price_series(AGILE, LONDON), price_series(AGILE, LONDON)
    t = at(15, 17, 10)
    assert one.slots(t, t + 86400) == again.slots(t, t + 86400)
    # a slot computed alone, far from anything asked before, is the same as in a run
    assert AgileModel(1, LONDON).slot(int(at(15, 17) // 1800)) == one.slot_at(t)
    other = price_series(TariffConfig(prices=AgileLike(2)), LONDON).slots(t, t + 86400)
    assert other != one.slots(t, t + 86400)
    # half-hour slots on the half hour, contiguous
    day = one.slots(at(15, 0), at(16, 0))
    assert len(day) == 48 and all(s.end - s.start == 1800 and s.start % 1800 == 0 for s in day)


def test_the_generator_is_shaped_like_agile(year):
    imports = [s.import_price for s in year]
    peak = statistics.mean(s.import_price for s in year if 16 <= hour(s) < 19)
    night = statistics.mean(s.import_price for s in year if 1 <= hour(s) < 5)
    assert 0.12 < statistics.mean(imports) < 0.24
    assert peak > night + 0.15  # the 16:00-19:00 uplift of ~12 p on a dearer wholesale
    assert max(imports) <= 1.00  # capped at 100 p/kWh
    negative_days = {
        dt.datetime.fromtimestamp(s.start, LONDON).date() for s in year if s.import_price < 0
    }
    assert 5 <= len(negative_days) <= 60  # some windy nights, not most
    exports = [s.export_price for s in year]
    assert min(exports) >= 0 and max(exports) <= 0.30
    assert 0.04 <= statistics.median(exports) <= 0.15


def test_the_generators_carbon_is_shaped_like_the_gb_grids_and_agrees_with_the_price(year):
    co2 = [s.co2_g_per_kwh for s in year]
    assert 135 <= statistics.mean(co2) <= 165  # GB 2023: ~149 g/kWh
    assert min(co2) < 80 and 240 < max(co2) <= 320
    cheapest = sorted(year, key=lambda s: s.import_price)[: len(year) // 20]
    assert statistics.mean(s.co2_g_per_kwh for s in cheapest) < 90  # cheap is clean
    winter_evenings = [
        s.co2_g_per_kwh for s in year if s.start < at(1, 0, month=3) and 17 <= hour(s) < 19
    ]
    assert statistics.mean(winter_evenings) > 180
    assert statistics.correlation([s.import_price for s in year], co2) > 0.7


def test_other_seeds_are_shaped_alike():
    for seed in (2,):
        slots = year_of_slots(seed)
        assert 135 <= statistics.mean(s.co2_g_per_kwh for s in slots) <= 165
        assert Counter(s.import_price < 0 for s in slots)[True] < len(slots) * 0.05


# ---- the ledger costs each minute at its slot ----------------------------------------


def test_each_minute_is_costed_at_its_slots_import_export_and_carbon():
    start = at(15, 12)
    config = table(
        (start, start + 1800, 0.40, 0.20, 300.0),
        (start + 1800, start + 3600, -0.05, 0.02, 50.0),
    )
    tariff = Tariff(config, LONDON)
    ledger = EnergyLedger(tariff, prices=price_series(config, LONDON, tariff))
    # 2 kW from 12:20 to 12:40: 1/3 kWh in each slot, in one reading across the boundary
    ledger.add("heater", "load", Delta(start + 1200, start + 2400, 2000 / 3))
    # solar alone at 12:45: 0.1 kWh exported at the second slot's export price
    ledger.add("roof", "generation", Delta(start + 2700, start + 2760, 100.0))
    day = ledger.day(dt.date(2026, 6, 15))
    cost = day.cost
    assert day.import_wh == pytest.approx(2000 / 3)
    assert day.cost == pytest.approx(1 / 3 * 0.40 + 1 / 3 * -0.05 - 0.1 * 0.02)
    assert day.carbon_g == pytest.approx(1 / 3 * 300 + 1 / 3 * 50)
    assert day.device_cost["heater"] == pytest.approx(1 / 3 * 0.40 + 1 / 3 * -0.05)
    assert day.device_cost["roof"] == pytest.approx(-0.1 * 0.02)
    # outside the file, Economy 7's day rate and the tariff's export rate and carbon
    ledger.add("heater", "load", Delta(start + 3600, start + 3660, 60.0))
    assert ledger.day(dt.date(2026, 6, 15)).cost == pytest.approx(cost + 0.06 * 0.30)


def test_a_ledger_of_fixed_periods_costs_as_before():
    tariff = Tariff(ECONOMY_7, LONDON)
    with_series = EnergyLedger(tariff, prices=price_series(ECONOMY_7, LONDON, tariff))
    plain = EnergyLedger(Tariff(ECONOMY_7, LONDON))
    for ledger in (with_series, plain):
        ledger.add("ev", "load", Delta(at(15, 7), at(15, 8), 7400.0))
        ledger.add("roof", "generation", Delta(at(15, 12), at(15, 12, 1), 50.0))
    assert with_series.day(dt.date(2026, 6, 15)) == plain.day(dt.date(2026, 6, 15))
    assert plain.day(dt.date(2026, 6, 15)).cost == pytest.approx(
        3.7 * 0.09 + 3.7 * 0.30 - 0.05 * 0.15
    )


@pytest.mark.parametrize("zone", ["Europe/London", "Australia/Lord_Howe", "America/New_York"])
def test_every_series_is_contiguous_across_the_clock_changes(zone):
    tz = ZoneInfo(zone)
    start = at(1, 12, month=1)
    rows = tuple((start + 3600 * i, start + 3600 * (i + 1), 0.1, 0.0, None) for i in range(48))
    for config in (ECONOMY_7, table(*rows)):  # the generator's half hours are UTC's
        series = price_series(config, tz)
        for week in range(53):  # every day of the year, the clock changes among them
            t = start + week * 7 * 86400
            Prices(currency="GBP", slots=tuple(series.slots(t, t + 8 * 86400)))  # checks it
