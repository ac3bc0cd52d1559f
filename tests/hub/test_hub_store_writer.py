"""The log's writer thread (hub.store.writer): flushes, failures, bounds, pruning, kill -9."""

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from hub.core.energy_rows import DeviceMinute
from hub.store.database import Store, db_path
from hub.store.schema import Batch, ReadingRow
from hub.store.writer import StoreWriter
from testkit.ports import wait_for
from testkit.programs import ROOT

T0 = 1714521600.0  # 2024-05-01T00:00:00Z
DAY = 86400.0


def reading(ts, seq=0, device="kitchen-kettle"):
    return ReadingRow(ts, device, seq, True, 100.0, 10.0 * seq, None, "heating")


def stored_seqs(store):
    return [r.seq for r in store.readings(0, 4 * T0)]


@pytest.fixture
def store(tmp_path):
    opened = Store.open(db_path(tmp_path / "data"), busy_timeout_s=0.05)
    yield opened
    opened.close()


@pytest.fixture
def make_writer(store):
    writers = []

    def make(**options):
        writer = StoreWriter(store, **options).start()
        writers.append(writer)
        return writer

    yield make
    for writer in writers:
        writer.stop(timeout=5)


@pytest.fixture
def write_lock(store):
    """Another connection holding the file's write lock, as another process would."""
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


def test_the_writer_commits_within_its_interval_without_being_asked(store, make_writer):
    started = time.monotonic()
    writer = make_writer(flush_interval_s=0.05)
    writer.submit(Batch(readings=[reading(T0, 1)]))
    wait_for(lambda: stored_seqs(store) == [1], 2.0, "the reading in the log")
    assert time.monotonic() - started < 1.0
    assert writer.healthy and writer.pending_rows == 0


def test_stop_commits_what_is_pending(store):
    writer = StoreWriter(store, flush_interval_s=60.0).start()
    writer.submit(Batch(readings=[reading(T0, 1), reading(T0 + 1, 2)]))
    assert stored_seqs(store) == []  # the interval is a minute away
    assert writer.stop() is True
    assert stored_seqs(store) == [1, 2]


def test_flush_without_a_thread_writes_in_the_caller(store):
    writer = StoreWriter(store)
    writer.submit(Batch(readings=[reading(T0, 5)]))
    assert writer.flush() is True
    assert stored_seqs(store) == [5]


def test_submissions_merge_in_order_so_the_later_upsert_wins(store, make_writer):
    writer = make_writer(flush_interval_s=60.0)
    writer.submit(Batch(device_rollups=[DeviceMinute(60, "k", 1.0, 0.1, 60.0)]))
    writer.submit(Batch(device_rollups=[DeviceMinute(60, "k", 2.0, 0.2, 130.0)]))
    writer.submit(Batch(settings={"tariff": 1}))
    writer.submit(Batch(settings={"tariff": 2}))
    assert writer.pending_rows == 3  # two rollups and one setting key
    assert writer.flush() is True
    assert store.device_rollups(0) == [DeviceMinute(60, "k", 2.0, 0.2, 130.0)]
    assert store.get_setting("tariff") == 2


def test_the_writer_survives_a_vanished_data_dir_and_resumes(tmp_path, store, make_writer, caplog):
    writer = make_writer(flush_interval_s=60.0)
    data, away = store.path.parent, tmp_path / "away"
    data.rename(away)
    data.write_text("not a directory")  # the writer thread has no connection yet: it must open one
    writer.submit(Batch(readings=[reading(T0, 1)]))
    with caplog.at_level(logging.ERROR, logger="hub.store.writer"):
        assert writer.flush() is False
        writer.submit(Batch(readings=[reading(T0 + 1, 2)]))
        assert writer.flush() is False
    assert not writer.healthy
    assert "unable to open database file" in writer.last_error
    assert str(store.path) in writer.last_error
    assert writer.pending_rows == 2
    assert len(caplog.records) == 1  # one clear error, not one per retry
    data.unlink()
    away.rename(data)
    assert writer.flush() is True
    assert (writer.healthy, writer.last_error) == (True, None)
    assert stored_seqs(store) == [1, 2]


def test_the_writer_survives_a_locked_file_and_resumes_by_itself(store, make_writer, write_lock):
    writer = make_writer(flush_interval_s=0.05)
    writer.submit(Batch(readings=[reading(T0, 1)]))
    wait_for(lambda: not writer.healthy, 2.0, "the writer to notice the lock")
    assert "database is locked" in writer.last_error
    write_lock.execute("ROLLBACK")
    wait_for(lambda: writer.healthy, 2.0, "the writer to recover on its own")
    assert stored_seqs(store) == [1]


def test_held_readings_are_bounded_oldest_dropped_first(store, make_writer, write_lock):
    writer = make_writer(flush_interval_s=60.0, max_pending_readings=3)
    writer.submit(Batch(readings=[reading(T0 + i, i) for i in range(2)]))
    assert writer.flush() is False
    writer.submit(Batch(readings=[reading(T0 + i, i) for i in range(2, 5)]))
    assert (writer.pending_rows, writer.dropped_readings) == (3, 2)
    write_lock.execute("ROLLBACK")
    assert writer.flush() is True
    assert stored_seqs(store) == [2, 3, 4]


def test_a_read_only_log_makes_the_writer_unhealthy_not_dead(store):
    reader = Store.open(store.path, read_only=True)
    writer = StoreWriter(reader)
    try:
        writer.submit(Batch(readings=[reading(T0, 1)]))
        assert writer.flush() is False
        assert "read-only" in writer.last_error
        assert writer.pending_rows == 1
    finally:
        reader.close()


def test_an_unstorable_batch_is_dropped_and_counted_and_logging_goes_on(store, make_writer):
    writer = make_writer(flush_interval_s=60.0)
    writer.submit(Batch(readings=[reading(T0, 1), reading(float("nan"), 2)]))
    writer.flush()
    writer.submit(Batch(readings=[reading(T0, 3)]))
    assert writer.flush() is True
    assert writer.dropped_rows == 2
    assert stored_seqs(store) == [3]


def test_submit_never_raises_into_the_caller(store):
    writer = StoreWriter(store)
    writer.submit(None)  # type: ignore[arg-type]
    assert writer.pending_rows == 0


def test_the_writer_prunes_once_per_prune_interval(store, make_writer):
    real = [0.0]
    now = T0 + 30 * DAY
    writer = make_writer(
        flush_interval_s=60.0, retention_s=DAY, now=lambda: now, clock=lambda: real[0]
    )
    writer.submit(Batch(readings=[reading(now - 2 * DAY, 1), reading(now - 1, 2)]))
    assert writer.flush() is True  # the first cycle prunes at once
    assert stored_seqs(store) == [2]
    writer.submit(Batch(readings=[reading(now - 3 * DAY, 3)]))
    real[0] = 3599.0
    assert writer.flush() is True
    assert stored_seqs(store) == [3, 2]  # not an hour since the last prune
    real[0] = 3600.0
    assert writer.flush() is True
    assert stored_seqs(store) == [2]


KILLED_WRITER = """
import sys, time
from hub.store.database import Store
from hub.store.schema import Batch, ReadingRow
from hub.store.writer import StoreWriter
writer = StoreWriter(Store.open(sys.argv[1]), flush_interval_s=0.5).start()
seq = 0
while True:
    seq += 1
    writer.submit(Batch(readings=[ReadingRow(time.time(), "k", seq, True, 1.0, 1.0, None, "on")]))
    if seq == 50:
        print("writing", flush=True)
    time.sleep(0.01)
"""


@pytest.mark.integration
def test_kill_9_loses_at_most_the_last_second(tmp_path):
    path = db_path(tmp_path)
    code = textwrap.dedent(KILLED_WRITER)
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout.readline() == "writing\n"
        time.sleep(1.7)
        killed_at = time.time()
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(5)
    store = Store.open(path)
    try:
        newest = store.readings(0, killed_at + 10)[-1]
    finally:
        store.close()
    assert killed_at - newest.ts < 1.0, f"lost {killed_at - newest.ts:.2f} s of readings"
