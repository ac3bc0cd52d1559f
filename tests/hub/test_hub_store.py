"""The log (hub.store.database): open, table round trips, upserts, atomicity, totals, prune."""

import math
import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.energy_rows import DeviceMinute, HomeMeters, HomeMinute, Totals
from hub.core.events import CounterPosition
from hub.store.database import Store, db_path
from hub.store.schema import (
    SCHEMA_VERSION,
    TABLES_V2,
    AuditRow,
    BadBatchError,
    Batch,
    DeviceTotals,
    ReadingRow,
    StoreError,
    minute_of,
)
from hub.store.writer import expiry_cutoffs
from protocol import Alert, State

T0 = 1714521600.0  # 2024-05-01T00:00:00Z
# what a version-1 hub made: today's tables but those version 2 added
V1_SCHEMA = TABLES_V2 + "DROP TABLE home_meters;"
DAY = 86400.0


def reading(ts, device="kitchen-kettle", seq=0, power_w=100.0, on=True, level=None):
    return ReadingRow(ts, device, seq, on, power_w, 10.0 * seq, level, "heating")


def alert(alert_id, ts, state="raised", device=None, value=7450.0):
    return Alert(
        id=alert_id,
        ts=ts,
        rule="total-power",
        device=device,
        level="warning",
        state=state,
        value=value,
        threshold=7000.0,
        message="Home draws 7.45 kW",
    )


def home(minute, consumption_wh, cost=0.0, production_wh=0.0):
    import_wh = max(consumption_wh - production_wh, 0.0)
    export_wh = max(production_wh - consumption_wh, 0.0)
    return HomeMinute(minute, consumption_wh, production_wh, import_wh, export_wh, cost, 0.5)


@pytest.fixture
def store(tmp_path):
    opened = Store.open(db_path(tmp_path / "data"))
    yield opened
    opened.close()


def test_open_creates_the_data_dir_in_wal_mode_with_normal_sync(tmp_path):
    path = db_path(tmp_path / "a" / "b")
    assert path == tmp_path / "a" / "b" / "hub.db"
    store = Store.open(path)
    try:
        assert path.is_file()
        assert store._conn().execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
        with sqlite3.connect(path) as other:
            assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert other.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        store.close()


def test_open_names_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "hub.db"
    path.write_bytes(b"this is not SQLite, " * 100)
    with pytest.raises(StoreError, match=r"cannot open the log .*file is not a database") as caught:
        Store.open(path)
    assert str(path) in str(caught.value)


def test_open_names_a_data_dir_that_is_a_file(tmp_path):
    (tmp_path / "data").write_text("oops")
    with pytest.raises(StoreError, match="cannot create the data directory"):
        Store.open(tmp_path / "data" / "hub.db")


def test_open_names_a_db_path_that_is_a_directory(tmp_path):
    (tmp_path / "hub.db").mkdir()
    with pytest.raises(StoreError, match=r"cannot open the log .*unable to open"):
        Store.open(tmp_path / "hub.db")


def test_open_refuses_a_log_written_by_a_newer_hub(tmp_path):
    path = tmp_path / "hub.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer hub"):
        Store.open(path)


def test_a_read_only_store_reads_but_refuses_writes(store):
    store.write(Batch(readings=[reading(T0)]))
    reader = Store.open(store.path, read_only=True)
    try:
        assert reader.readings(T0, T0 + 1) == [reading(T0)]
        with pytest.raises(StoreError, match="read-only"):
            reader.write(Batch(readings=[reading(T0 + 1)]))
    finally:
        reader.close()
    with pytest.raises(StoreError, match="no hub log"):
        Store.open(store.path.parent / "missing.db", read_only=True)


def test_a_closed_store_says_so(store):
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.last_counters()


def test_readings_round_trip_in_time_order_and_filter(store):
    state = State(ts=T0 + 2, seq=7, on=False, power_w=0.0, energy_wh=70.5, level=0.25, phase="off")
    rows = [reading(T0 + 1, seq=1), reading(T0, "roof", seq=3, on=False), reading(T0 + 3)]
    store.write(Batch(readings=[*rows, ReadingRow.from_state("roof", state)]))
    from_state = ReadingRow(T0 + 2, "roof", 7, False, 0.0, 70.5, 0.25, "off")
    assert store.readings(T0, T0 + 3) == [rows[1], rows[0], from_state]  # to_ts excluded
    assert store.readings(T0, T0 + 10, devices=["roof"]) == [rows[1], from_state]
    assert store.readings(T0, T0 + 10, devices=[]) == []
    assert store.readings(T0, T0 + 10, limit=2) == [rows[1], rows[0]]


def test_device_rollups_are_upserted_not_added(store):
    store.write(Batch(device_rollups=[DeviceMinute(60, "kettle", 1.0, 0.3, 100.0)]))
    store.write(Batch(device_rollups=[DeviceMinute(120, "kettle", 2.0, 0.6, 150.0)]))
    store.write(Batch(device_rollups=[DeviceMinute(60, "kettle", 5.0, 1.5, 2900.0)]))
    store.write(Batch(device_rollups=[DeviceMinute(60, "fridge", 1.0, 0.2, 80.0)]))
    assert store.device_rollups(0) == [
        DeviceMinute(60, "fridge", 1.0, 0.2, 80.0),
        DeviceMinute(60, "kettle", 5.0, 1.5, 2900.0),
        DeviceMinute(120, "kettle", 2.0, 0.6, 150.0),
    ]
    assert store.device_rollups(60, 120, devices=["kettle"]) == [
        DeviceMinute(60, "kettle", 5.0, 1.5, 2900.0)
    ]


def test_home_rollups_are_upserted_not_added(store):
    store.write(Batch(home_rollups=[home(60, 10.0), home(120, 20.0)]))
    store.write(Batch(home_rollups=[home(60, 15.0, production_wh=20.0)]))
    assert store.home_rollups(0) == [home(60, 15.0, production_wh=20.0), home(120, 20.0)]
    assert store.home_rollups(100, 200) == [home(120, 20.0)]


def test_counters_keep_the_latest_per_device(store):
    store.write(
        Batch(
            counters=[CounterPosition("kettle", T0, 10.0, 1), CounterPosition("fridge", T0, 5.0, 9)]
        )
    )
    store.write(Batch(counters=[CounterPosition("kettle", T0 + 5, 12.5, 2)]))
    assert store.last_counters() == {
        "kettle": CounterPosition("kettle", T0 + 5, 12.5, 2),
        "fridge": CounterPosition("fridge", T0, 5.0, 9),
    }


def test_alerts_keep_their_latest_state_and_first_raise(store):
    store.write(Batch(alerts=[alert("a", T0), alert("b", T0 + 1, device="roof", value=None)]))
    store.write(Batch(alerts=[alert("a", T0 + 5, "acknowledged"), alert("c", T0 + 2)]))
    store.write(Batch(alerts=[alert("c", T0 + 9, "cleared")]))
    assert store.open_alerts() == [
        alert("a", T0 + 5, "acknowledged"),
        alert("b", T0 + 1, device="roof", value=None),
    ]
    assert [a.id for a in store.alerts()] == ["c", "a", "b"]  # newest event first
    assert [a.id for a in store.alerts(limit=1)] == ["c"]
    raised = store._conn().execute("SELECT id, raised_ts, updated_ts FROM alerts ORDER BY id")
    assert raised.fetchall() == [("a", T0, T0 + 5), ("b", T0 + 1, T0 + 1), ("c", T0 + 2, T0 + 9)]


def test_audit_lists_commands_newest_first(store):
    rows = [
        AuditRow(T0, "web", "kettle", '{"on": true}', True, "ok"),
        AuditRow(T0 + 1, "shedding", "ev", '{"on": false}', False, "timed out"),
    ]
    store.write(Batch(audit=rows))
    assert store.audit() == rows[::-1]
    assert store.audit(limit=1) == [rows[1]]


def test_settings_round_trip_as_json_and_the_latest_wins(store):
    assert store.get_setting("thresholds") is None
    store.write(Batch(settings={"thresholds": [{"rule": "total-power", "above_w": 7000}]}))
    store.write(Batch(settings={"tariff": {"rate": 0.25}, "thresholds": []}))
    assert store.get_setting("thresholds") == []
    assert store.get_setting("tariff") == {"rate": 0.25}


@pytest.mark.parametrize(
    "bad",
    [
        Batch(readings=[reading(math.nan)]),
        Batch(device_rollups=[DeviceMinute(60, None, 1.0, 0.0, 0.0)]),
        Batch(settings={"x": math.inf}),
        Batch(audit=[AuditRow(T0, "web", "kettle", {"on": True}, True, "")]),
    ],
)
def test_an_unstorable_row_fails_the_whole_batch_before_any_sql(store, bad):
    batch = Batch(readings=[reading(T0)], counters=[CounterPosition("kettle", T0, 1.0, 1)])
    batch.extend(bad)
    with pytest.raises(BadBatchError, match="cannot be stored"):
        store.write(batch)
    assert store.readings(0, 2 * T0) == []
    assert store.last_counters() == {}


def test_a_failure_mid_transaction_leaves_nothing_of_the_batch(store):
    # Readings are inserted before the audit row that the trigger refuses.
    store._conn().execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON audit WHEN NEW.actor = 'boom'"
        " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    )
    batch = Batch(
        readings=[reading(T0 + i) for i in range(100)],
        device_rollups=[DeviceMinute(60, "kettle", 1.0, 0.3, 100.0)],
        audit=[AuditRow(T0, "boom", "kettle", "ON", True, "")],
    )
    with pytest.raises(StoreError, match="refused by the test"):
        store.write(batch)
    assert store.readings(0, 2 * T0) == []
    assert store.device_rollups(0) == []
    store.write(Batch(readings=[reading(T0)]))  # the connection is usable afterwards
    assert store.readings(0, 2 * T0) == [reading(T0)]


def test_totals_sum_the_rollups_of_the_minutes_in_the_span(store):
    day2 = T0 + DAY
    store.write(
        Batch(
            device_rollups=[
                DeviceMinute(int(T0 - 60), "kettle", 100.0, 30.0, 0.0),  # the day before
                DeviceMinute(int(T0), "kettle", 50.0, 1.25, 0.0),
                DeviceMinute(int(T0 + 60), "kettle", 25.0, 0.5, 0.0),
                DeviceMinute(int(T0 + 60), "roof", 0.0, 0.0, 0.0),
                DeviceMinute(int(day2), "kettle", 10.0, 0.25, 0.0),
            ],
            home_rollups=[home(int(T0 - 60), 100.0, 30.0), home(int(T0), 50.0, 1.5, 80.0)],
        )
    )
    assert store.device_totals(T0, day2) == {
        "kettle": DeviceTotals(75.0, 1.75),
        "roof": DeviceTotals(0.0, 0.0),
    }
    assert store.energy_totals(T0) == {"kettle": 85.0, "roof": 0.0}
    assert store.totals(T0, day2) == Totals(
        50.0,
        80.0,
        0.0,
        30.0,
        1.5,
        0.5,
        self_consumed_wh=50.0,  # the minute's whole consumption: it made more
        device_wh={"kettle": 75.0, "roof": 0.0},
        device_cost={"kettle": 1.75, "roof": 0.0},
    )
    before = store.totals(T0 - 60)
    assert (before.consumption_wh, before.production_wh, before.import_wh) == (150.0, 80.0, 100.0)
    assert (before.export_wh, before.cost, before.carbon_g) == (30.0, 31.5, 1.0)
    assert before.device_wh == {"kettle": 185.0, "roof": 0.0}
    assert store.totals(day2 + 60) == Totals()


def test_prune_deletes_old_readings_and_optionally_old_history(store):
    old, new = T0 - 10 * DAY, T0
    store.write(
        Batch(
            readings=[reading(old), reading(new)],
            device_rollups=[DeviceMinute(int(old), "kettle", 1.0, 0.0, 0.0)],
            home_rollups=[home(int(old), 1.0)],
            counters=[CounterPosition("kettle", old, 1.0, 1)],
            alerts=[alert("open", old), alert("done", old, "cleared")],
            audit=[AuditRow(old, "web", "kettle", "ON", True, "")],
        )
    )
    assert store.prune(T0 - DAY) == {"readings": 1}
    assert store.readings(0, 2 * T0) == [reading(new)]
    assert len(store.device_rollups(0)) == 1
    deleted = store.prune(T0 - DAY, history_before_ts=T0 - DAY)
    assert deleted == {
        "readings": 0, "rollups": 1, "home_rollups": 1, "hourly_rollups": 1,
        "home_hourly_rollups": 1, "audit": 1, "alerts": 1,
    }  # fmt: skip
    assert store.device_rollups(0) == store.home_rollups(0) == store.audit() == []
    assert [a.id for a in store.alerts()] == ["open"]  # open alerts are never pruned
    assert list(store.last_counters()) == ["kettle"]


def test_expiry_keeps_history_ten_times_as_long_and_at_least_400_days():
    assert expiry_cutoffs(1000 * DAY, 7 * DAY) == (993 * DAY, 600 * DAY)
    assert expiry_cutoffs(1000 * DAY, 60 * DAY) == (940 * DAY, 400 * DAY)


def test_minute_of_floors_to_the_minute():
    assert minute_of(T0 + 59.999) == int(T0)
    assert minute_of(T0 + 60) == int(T0) + 60
    assert minute_of(T0 - 0.5) == int(T0) - 60


def test_a_new_store_on_the_same_file_sees_what_was_written(tmp_path):
    path = db_path(tmp_path)
    first = Store.open(path)
    first.write(
        Batch(
            readings=[reading(T0)],
            device_rollups=[DeviceMinute(int(T0), "kettle", 5.0, 1.5, 2900.0)],
            counters=[CounterPosition("kettle", T0, 5.0, 3)],
            alerts=[alert("a", T0)],
            settings={"retention_days": 30},
        )
    )
    first.close()
    second = Store.open(path)
    try:
        assert second.readings(T0, T0 + 1) == [reading(T0)]
        assert second.device_totals(T0) == {"kettle": DeviceTotals(5.0, 1.5)}
        assert second.last_counters() == {"kettle": CounterPosition("kettle", T0, 5.0, 3)}
        assert second.open_alerts() == [alert("a", T0)]
        assert second.get_setting("retention_days") == 30
    finally:
        second.close()


def test_readers_do_not_wait_for_an_open_write_transaction(tmp_path):
    store = Store.open(db_path(tmp_path), busy_timeout_s=5.0)
    store.write(Batch(readings=[reading(T0)]))
    writer = sqlite3.connect(store.path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO readings (ts, device) VALUES (?, 'x')", (T0 + 1,))
        seen = []
        thread = threading.Thread(target=lambda: seen.extend(store.readings(0, 2 * T0)))
        thread.start()
        thread.join(2.0)
        assert not thread.is_alive()  # it did not sit out the 5 s busy timeout
        assert seen == [reading(T0)]  # the last commit, not the open transaction
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        store.close()


def test_a_batch_of_20000_readings_is_one_write(store):
    rows = [reading(T0 + i * 0.05, f"device-{i % 20}", i) for i in range(20_000)]
    store.write(Batch(readings=rows))
    assert store.readings(0, 2 * T0) == rows


upserts = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(["a", "b"]), st.floats(0, 1e6)), max_size=30
)


@settings(max_examples=40, deadline=None)
@given(st.lists(upserts, max_size=4))
def test_any_sequence_of_rollup_batches_leaves_the_last_value_per_key(batches):
    expected: dict[tuple[int, str], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "hub.db")
        try:
            for rows in batches:
                rollups = [DeviceMinute(m * 60, d, wh, 0.0, 0.0) for m, d, wh in rows]
                store.write(Batch(device_rollups=rollups))
                expected.update({(m * 60, d): wh for m, d, wh in rows})
            stored = {(r.minute, r.device): r.energy_wh for r in store.device_rollups(0)}
            totals = store.energy_totals(0)
        finally:
            store.close()
    assert stored == expected
    for device in ("a", "b"):
        want = sum(wh for (_, d), wh in expected.items() if d == device)
        assert totals.get(device, 0.0) == pytest.approx(want)


def test_lifetime_meters_round_trip_and_later_batches_win(store):
    assert store.home_meters() == HomeMeters()
    store.write(Batch(meters=HomeMeters(10.0, 2.0, 5.0)))
    merged = Batch(meters=HomeMeters(11.0, 2.5, 6.0))
    merged.extend(Batch(meters=HomeMeters(12.0, 3.0, 7.0)))
    merged.extend(Batch(readings=[reading(T0)]))  # a batch without meters keeps them
    assert len(merged) == 2
    store.write(merged)
    assert store.home_meters() == HomeMeters(12.0, 3.0, 7.0)


def test_a_non_finite_meter_is_refused_before_anything_is_written(store):
    with pytest.raises(BadBatchError):
        store.write(Batch(readings=[reading(T0)], meters=HomeMeters(math.nan, 0.0, 0.0)))
    assert store.count_readings(0, T0 + 1) == 0


def test_a_version_1_log_gets_its_lifetime_meters_from_the_history_it_holds(tmp_path):
    path = tmp_path / "hub.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)
        conn.executescript(
            "INSERT INTO home_rollups VALUES (60, 5, 2, 3, 0, 0.1, 1);"
            "INSERT INTO home_rollups VALUES (120, 1, 4, 0, 3, -0.1, 0);"
            "PRAGMA user_version = 1;"
        )
    opened = Store.open(path)
    try:
        assert opened.home_meters() == HomeMeters(import_wh=3.0, export_wh=3.0, generation_wh=6.0)
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        opened.close()
