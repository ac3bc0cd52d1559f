"""Exporting the log (hub.store.export): CSV and JSON Lines, raw and 1-minute, streaming."""

import io
import json
from zoneinfo import ZoneInfo

import pytest

from devices.kinds.replay import load_trace
from hub.core.energy_rows import DeviceMinute
from hub.store.database import Store, db_path
from hub.store.export import export, parse_time
from hub.store.schema import Batch, ReadingRow

T0 = 1714564800.0  # 2024-05-01T12:00:00Z
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def store(tmp_path):
    opened = Store.open(db_path(tmp_path))
    opened.write(
        Batch(
            readings=[
                ReadingRow(T0 + 0.5, "kettle", 1, True, 2900.0, 12.5, None, "heating"),
                ReadingRow(T0 + 1, "roof", 4, False, 0.0, 100.0, 0.25, "night"),
                ReadingRow(T0 + 2, "kettle", 2, False, 0.0, 14.0, None, "off"),
                ReadingRow(T0 + 60, "kettle", 3, False, 0.0, 14.0, None, "off"),
            ],
            device_rollups=[
                DeviceMinute(int(T0), "kettle", 1.5, 0.375, 2900.0),
                DeviceMinute(int(T0), "roof", 0.0, 0.0, 0.0),
                DeviceMinute(int(T0) + 60, "kettle", 0.0, 0.0, 0.0),
            ],
        )
    )
    yield opened
    opened.close()


def run(store, **options):
    out = io.StringIO()
    count = export(store, out, options.pop("from_ts", T0), options.pop("to_ts", T0 + 60), **options)
    return count, out.getvalue()


def test_raw_csv_starts_with_timestamp_and_power_then_the_rest(store):
    count, text = run(store)
    assert count == 3
    assert text.splitlines() == [
        "timestamp,power_w,device,time_utc,seq,on,energy_wh,level,phase",
        "1714564800.5,2900.0,kettle,2024-05-01T12:00:00.500Z,1,1,12.5,,heating",
        "1714564801.0,0.0,roof,2024-05-01T12:00:01.000Z,4,0,100.0,0.25,night",
        "1714564802.0,0.0,kettle,2024-05-01T12:00:02.000Z,2,0,14.0,,off",
    ]


def test_one_device_raw_csv_is_a_trace_the_replay_kind_plays(store, tmp_path):
    trace = tmp_path / "kettle.csv"
    with trace.open("w", newline="") as out:
        export(store, out, T0, T0 + 3600, devices=["kettle"])
    times, powers, wall_clock = load_trace(str(trace))
    assert times == [T0 + 0.5, T0 + 2, T0 + 60]
    assert powers == [2900.0, 0.0, 0.0]
    assert wall_clock is False  # Unix seconds, not zoned times


def test_raw_jsonl_has_one_object_per_reading(store):
    count, text = run(store, fmt="jsonl", devices=["roof"])
    assert count == 1
    assert [json.loads(line) for line in text.splitlines()] == [
        {
            "timestamp": T0 + 1,
            "power_w": 0.0,
            "device": "roof",
            "time_utc": "2024-05-01T12:00:01.000Z",
            "seq": 4,
            "on": False,
            "energy_wh": 100.0,
            "level": 0.25,
            "phase": "night",
        }
    ]


def test_minute_csv_gives_each_device_minute_with_its_average_power(store):
    count, text = run(store, resolution="1m", to_ts=T0 + 120, devices=["kettle"])
    assert count == 2
    assert text.splitlines() == [
        "timestamp,power_w,device,time_utc,energy_wh,cost,power_max_w",
        "1714564800,90.0,kettle,2024-05-01T12:00:00Z,1.5,0.375,2900.0",
        "1714564860,0.0,kettle,2024-05-01T12:01:00Z,0.0,0.0,0.0",
    ]


def test_minute_jsonl_of_all_devices(store):
    _, text = run(store, resolution="1m", fmt="jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert [(r["timestamp"], r["device"], r["power_w"]) for r in rows] == [
        (T0, "kettle", 90.0),
        (T0, "roof", 0.0),
    ]


def test_an_empty_span_writes_only_the_header(store):
    assert run(store, from_ts=T0 - 100, to_ts=T0) == (
        0,
        "timestamp,power_w,device,time_utc,seq,on,energy_wh,level,phase\n",
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fmt": "xlsx"}, "--format must be one of csv, jsonl, got 'xlsx'"),
        ({"resolution": "5m"}, "--resolution must be one of raw, 1m, got '5m'"),
        ({"to_ts": T0}, r"--from \(2024-05-01T12:00:00.000Z\) must be before --to"),
        ({"devices": ["Bad Id"]}, "device"),
    ],
)
def test_bad_options_are_named(store, options, message):
    with pytest.raises(ValueError, match=message):
        run(store, **options)


class CountingStore:
    """Yields readings one at a time and counts how many have been taken."""

    def __init__(self):
        self.taken = 0

    def iter_readings(self, from_ts, to_ts, devices):
        for i in range(1000):
            self.taken += 1
            yield ReadingRow(T0 + i, "kettle", i, True, 1.0, 1.0, None, "on")


def test_rows_stream_to_the_output_as_they_are_read():
    source = CountingStore()
    taken_at_write = []

    class Out(io.StringIO):
        def write(self, text):
            taken_at_write.append(source.taken)
            return super().write(text)

    assert export(source, Out(), T0, T0 + 1000) == 1000
    assert taken_at_write[:3] == [0, 1, 2]  # header, then each row as soon as it is read


def test_parse_time_takes_unix_seconds_dates_and_local_times():
    assert parse_time("1714564800", LONDON) == T0
    assert parse_time("2024-05-01", LONDON) == 1714518000.0  # local midnight is 23:00Z (BST)
    assert parse_time("2024-05-01T07:30", LONDON) == 1714545000.0
    assert parse_time("2024-05-01T07:30Z", LONDON) == 1714548600.0
    with pytest.raises(ValueError, match="--to must be Unix seconds or an ISO 8601"):
        parse_time("yesterday", LONDON, "--to")
