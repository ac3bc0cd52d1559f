"""Hourly rollups: rebuilt from minute rows in the write's transaction, migrated from v1, pruned."""

import sqlite3

import pytest
from test_hub_store import V1_SCHEMA

from hub.core.energy_rows import DeviceMinute, HomeMinute, HomeTotals
from hub.store.database import Store, db_path
from hub.store.energy import DeviceEnergy
from hub.store.schema import SCHEMA_VERSION, Batch, StoreError

H0 = 1_781_002_800  # the start of a UTC hour (2026-06-09 11:00Z)


def home(minute, consumption_wh, production_wh=0.0, cost=0.0, carbon_g=0.0):
    imported = max(consumption_wh - production_wh, 0.0)
    exported = max(production_wh - consumption_wh, 0.0)
    return HomeMinute(minute, consumption_wh, production_wh, imported, exported, cost, carbon_g)


def device(minute, name, energy_wh, cost=0.0):
    return DeviceMinute(minute, name, energy_wh, cost, energy_wh * 60.0)


@pytest.fixture
def store(tmp_path):
    opened = Store.open(db_path(tmp_path / "data"))
    yield opened
    opened.close()


def hourly(store, table="hourly_rollups"):
    return store._conn().execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()


def test_rewriting_a_minute_rebuilds_its_hour_instead_of_adding_to_it(store):
    for energy in (1.0, 2.0, 5.0):  # one minute filling up over three writes
        store.write(
            Batch(device_rollups=[device(H0, "kettle", energy, energy * 0.25 / 1000)],
                  home_rollups=[home(H0, energy)])
        )  # fmt: skip
    assert hourly(store) == [(H0, "kettle", 5.0, pytest.approx(0.00125), 0.0, 0.0)]
    assert hourly(store, "home_hourly_rollups") == [
        (H0, 5.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    ]


def test_a_device_takes_solar_in_proportion_to_the_minutes_self_consumed_share(store):
    # minute 1: 20 Wh used, 10 Wh made, none exported: each consumer took half from solar;
    # minute 2: 10 Wh used, 30 Wh made, 20 exported: everything used came from solar
    store.write(
        Batch(
            device_rollups=[
                device(H0, "kettle", 16.0), device(H0, "fridge", 4.0), device(H0, "solar", 10.0),
                device(H0 + 60, "kettle", 10.0), device(H0 + 60, "solar", 30.0),
            ],
            home_rollups=[home(H0, 20.0, 10.0), home(H0 + 60, 10.0, 30.0)],
        )
    )  # fmt: skip
    by_device = {row[1]: row[4] for row in hourly(store)}
    assert by_device["kettle"] == pytest.approx(8.0 + 10.0)
    assert by_device["fridge"] == pytest.approx(2.0)
    total = store.home_buckets([H0, H0 + 3600])[0]
    assert total.production_wh - total.export_wh == pytest.approx(by_device["kettle"] + 2.0)


def test_solar_serves_the_home_first_then_the_battery_then_the_grid(store):
    # minute 1: 10 Wh used, 4 made, the battery delivers 10 (a forced discharge): 4 from
    # solar, 6 from the battery, its other 4 exported;
    # minute 2: 10 used, nothing made, the battery delivers 3: 3 from it, 7 imported
    minutes = [
        HomeMinute(H0, 10.0, 4.0, 0.0, 4.0, 0.0, 0.0, 0.0, 10.0),
        HomeMinute(H0 + 60, 10.0, 0.0, 7.0, 0.0, 0.0, 0.0, 0.0, 3.0),
    ]
    store.write(
        Batch(
            device_rollups=[device(H0, "kettle", 10.0), device(H0 + 60, "kettle", 10.0)],
            home_rollups=minutes,
        )
    )
    ((_, _, energy, _, solar, battery),) = hourly(store)
    assert (energy, solar, battery) == (20.0, 4.0, 9.0)
    total = store.home_buckets([H0, H0 + 3600])[0]
    assert total.self_consumed_wh == 4.0  # production less export would say 0
    assert total.battery_used_wh == 9.0
    assert total.import_wh + total.self_consumed_wh + total.battery_used_wh == 20.0


def test_only_the_hours_a_batch_touches_are_rebuilt_each_from_its_own_minutes(store):
    store.write(Batch(device_rollups=[device(H0 + 3540, "kettle", 3.0)]))
    store.write(Batch(device_rollups=[device(H0 + 3600, "kettle", 4.0)]))
    store._conn().execute("UPDATE hourly_rollups SET energy_wh = 99 WHERE hour = ?", (H0,))
    store.write(Batch(device_rollups=[device(H0 + 7200, "kettle", 1.0)]))
    assert [(row[0], row[2]) for row in hourly(store)] == [
        (H0, 99.0), (H0 + 3600, 4.0), (H0 + 7200, 1.0)
    ]  # fmt: skip


def test_the_energy_reads_sum_hours_by_their_start(store):
    store.write(
        Batch(
            device_rollups=[device(H0 + 3600 * i, "kettle", 10.0, 0.01) for i in range(3)],
            home_rollups=[home(H0 + 3600 * i, 10.0 + i, cost=0.01, carbon_g=2.0) for i in range(3)],
        )
    )
    first, rest, empty = store.home_buckets([H0, H0 + 3600, H0 + 3 * 3600, H0 + 9 * 3600])
    assert first == HomeTotals(10.0, 0.0, 10.0, 0.0, 0.01, 2.0)
    assert rest == HomeTotals(23.0, 0.0, 23.0, 0.0, 0.02, 4.0)
    assert empty == HomeTotals()
    assert store.home_buckets([H0]) == []
    energy = store.device_energy(H0 + 3600, H0 + 3 * 3600)
    assert energy == {"kettle": DeviceEnergy(20.0, pytest.approx(0.02), 0.0, 0.0)}


def test_prune_drops_hours_that_end_by_the_history_cutoff(store):
    store.write(
        Batch(device_rollups=[device(H0 + 3600 * i, "kettle", 1.0) for i in range(3)],
              home_rollups=[home(H0 + 3600 * i, 1.0) for i in range(3)])
    )  # fmt: skip
    deleted = store.prune(0.0, history_before_ts=H0 + 3600 + 1800)
    assert (deleted["hourly_rollups"], deleted["home_hourly_rollups"]) == (1, 1)
    assert [row[0] for row in hourly(store)] == [H0 + 3600, H0 + 7200]


def test_a_v1_log_is_migrated_with_hours_built_from_its_minutes(tmp_path):
    path = tmp_path / "hub.db"
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA + "PRAGMA user_version = 1;")
    conn.executemany(
        "INSERT INTO rollups VALUES (?, ?, ?, ?, ?, ?)",
        [(H0 + 60 * i, "kettle", 2.0, 0.0005, 120.0, 120.0) for i in range(90)],
    )
    conn.executemany(
        "INSERT INTO home_rollups VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(H0 + 60 * i, 2.0, 1.0, 1.0, 0.0, 0.00025, 0.1) for i in range(90)],
    )
    conn.commit()
    conn.close()
    store = Store.open(path)
    try:
        assert store._conn().execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert hourly(store) == [
            (H0, "kettle", pytest.approx(120.0), pytest.approx(0.03), pytest.approx(60.0), 0.0),
            (H0 + 3600, "kettle", pytest.approx(60.0), pytest.approx(0.015),
             pytest.approx(30.0), 0.0),
        ]  # fmt: skip
        homes = store.home_buckets([H0, H0 + 3600, H0 + 7200])
        assert [h.consumption_wh for h in homes] == pytest.approx([120.0, 60.0])
        assert [h.import_wh for h in homes] == pytest.approx([60.0, 30.0])
    finally:
        store.close()


def test_a_failed_migration_leaves_the_v1_log_as_it_was(tmp_path):
    path = tmp_path / "hub.db"
    conn = sqlite3.connect(path)
    # a v1 log with a table in the way of the upgrade (same name, other columns)
    conn.executescript(V1_SCHEMA + "CREATE TABLE hourly_rollups (x); PRAGMA user_version = 1;")
    conn.close()
    with pytest.raises(StoreError, match="is not a usable hub log"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'home_hourly%'")\
        .fetchone() == (0,)  # fmt: skip
    conn.close()


def test_a_failed_rebuild_takes_the_minutes_of_its_batch_back_with_it(store):
    store.write(Batch(device_rollups=[device(H0, "kettle", 1.0)]))
    store._conn().execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON hourly_rollups WHEN NEW.energy_wh > 5"
        " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    )
    with pytest.raises(StoreError, match="refused by the test"):
        store.write(Batch(device_rollups=[device(H0 + 60, "kettle", 9.0)]))
    assert [row.minute for row in store.device_rollups(0)] == [H0]  # minutes and hours agree
    assert hourly(store) == [(H0, "kettle", 1.0, 0.0, 0.0, 0.0)]
