"""History for charts (hub.store.history.read_history): the JSON document against plain Python's.

The document is built as text in SQL; `python_history` is how it was built
before, from rows and Python's round(), and the two must parse to the same
values, float for float.
"""

import json
import math
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.store.database import Store, db_path
from hub.store.history import DEFAULT_SERIES_POINTS, HistoryQuery, read_history
from hub.store.schema import BadQueryError, Batch, ReadingRow, StoreError

T0 = 1_781_000_040  # the start of a minute


@pytest.fixture
def store(tmp_path):
    opened = Store.open(db_path(tmp_path / "data"))
    yield opened
    opened.close()


def python_history(store, query):
    """The document as read_history built it from rows before it was built in SQL."""

    def series():
        return {"t": [], "power_w": [], "energy_wh": []}

    devices = {d: series() for d in query.devices or ()}
    span = (query.from_ts, query.to_ts, query.devices)
    if query.resolution == "raw":
        points = [(r.device, r.ts, r.power_w, r.energy_wh) for r in store.iter_readings(*span)]
    else:
        points = [
            (m.device, m.minute, round(m.power_avg_w, 3), round(m.energy_wh, 4))
            for m in store.iter_device_rollups(*span)
        ]
    for device, t, power_w, energy_wh in points:
        s = devices.setdefault(device, series())
        s["t"].append(t)
        s["power_w"].append(power_w)
        s["energy_wh"].append(energy_wh)
    home = {"t": [], "consumption_w": [], "production_w": []}
    for h in store.home_rollups(query.from_ts, query.to_ts):
        home["t"].append(h.minute)
        home["consumption_w"].append(round(h.consumption_wh * 60.0, 3))
        home["production_w"].append(round(h.production_wh * 60.0, 3))
    return {
        "from": query.from_ts,
        "to": query.to_ts,
        "resolution": query.resolution,
        "devices": devices,
        "home": home,
    }


def assert_same(got, want, where="document"):
    """Equal with the same types, and floats equal to the bit (the sign of zero too)."""
    assert type(got) is type(want), where
    if isinstance(want, dict):
        assert got.keys() == want.keys(), where
        for key in want:
            assert_same(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{where}[{i}]")
    elif isinstance(want, float):
        assert got == want and math.copysign(1, got) == math.copysign(1, want), (where, got, want)
    else:
        assert got == want, where


def test_a_day_of_many_devices_is_in_minute_order_and_as_python_built_it(store):
    """Enough rows that SQLite's sort spills to disk; values that do not grow with time."""
    rng = random.Random(5)
    devices = [f"device-{i:03d}" for i in range(120)]
    minutes = list(range(600))
    rng.shuffle(minutes)  # written out of order
    for chunk in range(0, len(minutes), 100):
        batch = Batch()
        for m in minutes[chunk : chunk + 100]:
            minute = T0 + 60 * m
            for device in rng.sample(devices, len(devices)):
                wh = rng.uniform(0.0, 50.0)
                batch.device_rollups.append(DeviceMinute(minute, device, wh, 0.0, 0.0))
            batch.home_rollups.append(HomeMinute(minute, rng.uniform(0, 99), 1.5, 0, 0, 0, 0))
        store.write(batch)
    query = HistoryQuery(T0 - 60.0, T0 + 600 * 60.0)
    answer = json.loads(read_history(store, query))
    for device in devices:
        assert answer["devices"][device]["t"] == [T0 + 60 * m for m in range(600)]
    assert_same(answer, python_history(store, query))


def test_asked_devices_without_data_are_empty_and_others_left_out(store):
    rollups = [DeviceMinute(T0 + 60 * i, d, 1.0, 0.0, 0.0) for i in range(3) for d in "abc"]
    store.write(Batch(device_rollups=rollups))
    query = HistoryQuery(T0, T0 + 180.0, ("c", "zz", "a"))
    answer = json.loads(read_history(store, query))
    assert list(answer["devices"]) == ["a", "c", "zz"]
    assert answer["devices"]["zz"] == {"energy_wh": [], "power_w": [], "t": []}
    assert answer["home"] == {"consumption_w": [], "production_w": [], "t": []}
    assert_same(answer, python_history(store, query))


def test_raw_history_is_the_readings_as_before(store):
    readings = [
        ReadingRow(T0 + 0.1 * i, f"d{i % 3}", i, True, 1 / (i + 1), 0.1 * i, None, "on")
        for i in range(30)
    ]
    store.write(Batch(readings=readings, home_rollups=[HomeMinute(T0, 1.0, 0, 1, 0, 0, 0)]))
    query = HistoryQuery(T0, T0 + 2.5, ("d1", "d2"), "raw")
    assert_same(json.loads(read_history(store, query)), python_history(store, query))


# Ties and near-ties of 3 and 4 decimals, where rounding in SQL could go the other way:
# decimal halves (2.675 is just below one in binary), exact binary halves (n/32),
# values a step either side of those, large values, negatives that round to -0.
decimal_halves = st.builds(
    lambda n, k: (n + 0.5) / 10**k, st.integers(-(10**8), 10**8), st.sampled_from([3, 4])
)
binary_halves = st.builds(lambda n: n / 32, st.integers(-(2**30), 2**30))
values = st.one_of(
    st.floats(-2e6, 2e6, allow_nan=False),
    decimal_halves,
    binary_halves,
    st.builds(math.nextafter, st.one_of(decimal_halves, binary_halves), st.sampled_from([0, 1e9])),
    st.floats(-1e15, 1e15, allow_nan=False),
    st.sampled_from([0.0, -0.0, -1e-9, -0.00049, -0.0005, 0.00005, 2.675, 1e6, 1e9, -1e12]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(values, values, values), min_size=1, max_size=40))
def test_rounding_in_sql_gives_pythons_floats_exactly(points):
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "hub.db")
        try:
            batch = Batch()
            for i, (power_w, energy_wh, home_wh) in enumerate(points):
                minute = T0 + 60 * i
                # a minute's power is its energy times 60: ties of power come from "p"
                batch.device_rollups.append(DeviceMinute(minute, "p", power_w / 60, 0, 0))
                batch.device_rollups.append(DeviceMinute(minute, "e", energy_wh, 0, 0))
                batch.home_rollups.append(HomeMinute(minute, home_wh, -home_wh, 0, 0, 0, 0))
            store.write(batch)
            query = HistoryQuery(T0, T0 + 60.0 * len(points))
            assert_same(json.loads(read_history(store, query)), python_history(store, query))
        finally:
            store.close()


class ReadSpy:
    """A store that records which of its reads (other than counts) were asked for."""

    def __init__(self, store):
        self.store = store
        self.reads = []

    def __getattr__(self, name):
        if not name.startswith("count_"):
            self.reads.append(name)
        return getattr(self.store, name)


@pytest.mark.parametrize("resolution", ["1m", "raw"])
def test_too_many_points_is_refused_from_the_count_before_any_read(store, resolution):
    rollups = [DeviceMinute(T0 + 60 * i, "d", 1.0, 0.0, 0.0) for i in range(3)]
    readings = [ReadingRow(T0 + 60 * i, "d", i, True, 60.0, i, None, "on") for i in range(3)]
    homes = [HomeMinute(T0 + 60 * i, 1.0, 0, 1, 0, 0, 0) for i in range(3)]
    store.write(Batch(readings=readings, device_rollups=rollups, home_rollups=homes))
    query = HistoryQuery(T0, T0 + 180.0, resolution=resolution)
    spy = ReadSpy(store)
    with pytest.raises(BadQueryError, match="more than 2 points"):
        read_history(spy, query, max_points=2)
    assert spy.reads == []
    # the budget is the devices' points; the home's (one a minute) do not count
    assert len(json.loads(read_history(store, query, max_points=3))["devices"]["d"]["t"]) == 3


def test_a_log_that_cannot_be_read_is_a_store_error(store):
    store.close()
    with pytest.raises(StoreError, match="closed"):
        read_history(store, HistoryQuery(T0, T0 + 60.0))


# Charts ask for at most `points` per series: longer spans come as each bucket's
# lowest and highest minute (see hub.store.buckets).
DAY = 24 * 60


def write_minutes(store, device_watts, home=True):
    """Rollups of {device: {minute index: watts}} from T0, energy as the ledger has it."""
    batch = Batch()
    for device, watts in device_watts.items():
        for i, w in watts.items():
            batch.device_rollups.append(DeviceMinute(T0 + 60 * i, device, w / 60, 0.0, w))
    if home:
        minutes = sorted({i for watts in device_watts.values() for i in watts})
        for i in minutes:
            wh = sum(watts.get(i, 0.0) for watts in device_watts.values()) / 60
            batch.home_rollups.append(HomeMinute(T0 + 60 * i, wh, wh / 4, wh, 0, 0, 0))
    store.write(batch)


def min_max_points(watts, width):
    """The points a series in buckets of `width` minutes must hold: (minute index, watts)."""
    points = []
    for b in range(max(watts) // width + 1):
        inside = [(w, i) for i, w in watts.items() if i // width == b]
        if inside:
            (low_w, low_i), (high_w, high_i) = min(inside), max(inside)
            pair = {(low_i, low_w)} if low_w == high_w else {(low_i, low_w), (high_i, high_w)}
            points += sorted(pair)
    return points


def test_a_day_at_chart_width_is_each_buckets_lowest_and_highest_minute(store):
    rng = random.Random(3)
    watts = {i: round(rng.uniform(-400.0, 900.0), 3) for i in range(DAY)}
    watts[777] = 3000.0  # a kettle's minute: the peak must survive
    write_minutes(store, {"kettle": watts})
    answer = json.loads(read_history(store, HistoryQuery(T0, T0 + DAY * 60.0, points=300)))
    series = answer["devices"]["kettle"]
    want = min_max_points(watts, 10)  # 144 buckets of 10 minutes for 300 points
    assert len(series["t"]) == len(want) <= 300
    assert series["t"] == [T0 + 60 * i for i, _ in want]
    assert series["power_w"] == [w for _, w in want]
    # the minute's energy from its power, to 4 decimals (SQLite takes halves away from 0)
    assert series["energy_wh"] == [pytest.approx(w / 60, abs=0.6e-4) for _, w in want]
    assert max(series["power_w"]) == 3000.0 and min(series["power_w"]) == min(watts.values())
    home = answer["home"]
    assert len(home["t"]) <= 300 and max(home["consumption_w"]) == 3000.0
    at = home["t"].index(T0 + 777 * 60)
    assert home["production_w"][at] == 750.0  # read at the minute consumption picked


@pytest.mark.parametrize("points", [10, 11, 99, 1439, 1440, 5000])
def test_no_series_holds_more_points_than_asked(store, points):
    write_minutes(store, {"a": {i: float(i % 7) for i in range(DAY)}, "b": {5: 1.0}})
    answer = json.loads(read_history(store, HistoryQuery(T0, T0 + DAY * 60.0, points=points)))
    for series in [*answer["devices"].values(), answer["home"]]:
        assert 0 < len(series["t"]) <= points
        assert series["t"] == sorted(set(series["t"]))
    whole = points >= DAY
    assert (len(answer["devices"]["a"]["t"]) == DAY) is whole


def test_a_flat_bucket_is_one_point(store):
    write_minutes(store, {"standby": {i: 2.5 for i in range(DAY)}})
    series = json.loads(read_history(store, HistoryQuery(T0, T0 + DAY * 60.0, points=100)))
    assert series["devices"]["standby"]["power_w"] == [2.5] * 50  # buckets of 29 minutes


@pytest.mark.parametrize("points", [DEFAULT_SERIES_POINTS, 200])
def test_an_hour_of_silence_is_a_gap_not_a_bridge(store, points):
    """No rollup for a minute (or a bucket) between two that have some: a point of nulls."""
    silent = range(600, 660)
    watts = {i: 100.0 for i in range(DAY) if i not in silent}
    write_minutes(store, {"fridge": watts, "lamp": {i: 5.0 for i in range(DAY)}})
    answer = json.loads(read_history(store, HistoryQuery(T0, T0 + DAY * 60.0, points=points)))
    fridge, lamp = answer["devices"]["fridge"], answer["devices"]["lamp"]
    assert None not in lamp["power_w"]
    gaps = [j for j, w in enumerate(fridge["power_w"]) if w is None]
    assert len(gaps) == 1 and fridge["energy_wh"][gaps[0]] is None
    before, gap, after = (t - T0 for t in fridge["t"][gaps[0] - 1 : gaps[0] + 2])
    if points == DEFAULT_SERIES_POINTS:  # every minute: the gap is the silent hour's first
        assert (before, gap, after) == (599 * 60, 600 * 60, 660 * 60)
    else:  # buckets of 15 minutes: the four inside the hour are a gap
        assert 585 * 60 <= before < 600 * 60 == gap < 660 * 60 <= after < 675 * 60
    assert None not in answer["home"]["consumption_w"]  # the lamp kept the home going


@pytest.mark.parametrize("points", [DEFAULT_SERIES_POINTS, 200])
def test_an_hour_the_hub_was_down_is_a_gap_in_the_homes_series_too(store, points):
    write_minutes(store, {"lamp": {i: 5.0 for i in range(DAY) if not 600 <= i < 660}})
    home = json.loads(read_history(store, HistoryQuery(T0, T0 + DAY * 60.0, points=points)))["home"]
    gap = home["consumption_w"].index(None)
    assert home["production_w"][gap] is None and home["consumption_w"].count(None) == 1
    assert home["t"][gap] == T0 + 600 * 60  # the quiet hour's start, a bucket's start at 200
    assert {w for w in home["consumption_w"] if w is not None} == {5.0}
