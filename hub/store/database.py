"""The hub's durable log: one SQLite file in WAL mode in the data directory.

Why SQLite in WAL mode: a commit is one sequential append to the WAL, readers
see the last commit without waiting for a writer, and with
``synchronous=NORMAL`` a committed transaction survives the process being
killed (only a power cut may take the last commits back). The writer thread
(`hub.store.writer.StoreWriter`) commits at least every half second, which is
how "kill -9 loses at most the last second" is kept.

Threads: each thread gets its own connection, opened on its first use, so the
web's history queries and the restore at startup never share a connection with
the writer thread. Connections of threads that have ended are closed the next
time a thread opens one; `close` closes them all.

Every failure of the file (unwritable, corrupt, locked, full) raises
`StoreError` with a message naming the file and the reason.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from hub.store.hourly import prune_statements, rebuild_hours, touched_hours
from hub.store.queries import StoreQueries
from hub.store.schema import (
    DB_FILENAME,
    BadBatchError,
    Batch,
    StoreError,
    batch_parameters,
    create_schema,
)

log = logging.getLogger(__name__)


def db_path(data_dir: Path) -> Path:
    """Where the log lives in a data directory."""
    return Path(data_dir) / DB_FILENAME


class Store(StoreQueries):
    """The log file; build it with `Store.open`. Safe to use from many threads."""

    def __init__(self, path: Path, *, read_only: bool, busy_timeout_s: float) -> None:
        self.path = path
        self.read_only = read_only
        self._busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: dict[int, tuple[threading.Thread, sqlite3.Connection]] = {}
        self._closed = False

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False, busy_timeout_s: float = 5.0) -> Store:
        """Open (creating directories, file and tables as needed) the log at `path`.

        `read_only` opens an existing log without any write (``python -m hub
        export`` beside a running hub). `busy_timeout_s` is how long a write
        waits for another process that holds the file's write lock.
        """
        path = Path(path)
        if read_only and not path.is_file():
            raise StoreError(f"there is no hub log at {path}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {path.parent}: {exc}") from exc
        store = cls(path, read_only=read_only, busy_timeout_s=busy_timeout_s)
        try:
            conn = store._conn()
            if read_only:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version == 0:
                    raise StoreError(f"{path} is an empty database, not a hub log")
            else:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal":
                    log.warning(
                        "%s: SQLite refused WAL mode (%s); writes will block reads", path, mode
                    )
            create_schema(conn, str(path))
        except sqlite3.Error as exc:
            store.close()
            raise StoreError(
                f"{path} is not a usable hub log ({exc}); move it aside or use another --data-dir"
            ) from exc
        except StoreError:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close every connection; stop the writer first. Further use raises `StoreError`."""
        with self._lock:
            self._closed = True
            connections = [conn for _, conn in self._connections.values()]
            self._connections.clear()
        for conn in connections:
            conn.close()

    def reset_connection(self) -> None:
        """Close the calling thread's connection; its next use opens a fresh one.

        The writer calls this after a failed write, so a file that was replaced
        or a directory that came back is picked up without a restart.
        """
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with self._lock:
                self._connections.pop(id(conn), None)
            conn.close()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and not self._closed:
            return conn
        if self._closed:
            raise StoreError(f"the log {self.path} is closed")
        conn = self._connect()
        with self._lock:
            for key, (thread, old) in list(self._connections.items()):
                if not thread.is_alive():
                    del self._connections[key]
                    old.close()
            self._connections[id(conn)] = (threading.current_thread(), conn)
        self._local.conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False only so that `close` may close other threads'
        # connections; each connection is still used by its own thread alone.
        target = f"{self.path.resolve().as_uri()}?mode=ro" if self.read_only else str(self.path)
        try:
            conn = sqlite3.connect(
                target,
                uri=self.read_only,
                timeout=self._busy_timeout_s,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the log {self.path}: {exc}") from exc
        return conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        if self.read_only:
            raise StoreError(f"the log {self.path} is open read-only")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError as exc:
            raise BadBatchError(f"the log {self.path} refused a row: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the log {self.path}: {exc}") from exc

    def write(self, batch: Batch) -> None:
        """Apply `batch` in one transaction: all of it is stored, or none of it.

        The hours its minute rollups belong to are rebuilt in the same
        transaction, so hourly and minute rollups always agree.

        Raises `BadBatchError` for rows that can never be stored and `StoreError`
        when the file cannot take the write now (full, locked, read-only...).
        """
        statements = batch_parameters(batch)
        if not statements:
            return
        hours = touched_hours(batch)
        with self._transaction() as conn:
            for sql, rows in statements:
                conn.executemany(sql, rows)
            rebuild_hours(conn, hours)

    def prune(self, before_ts: float, history_before_ts: float | None = None) -> dict[str, int]:
        """Delete readings older than `before_ts`, and history older than `history_before_ts`.

        History is rollups (minute and hourly), cleared alerts and audit rows; open
        alerts, counters and settings are never pruned. Returns the number of rows
        deleted per table.
        """
        deletes = {"readings": ("DELETE FROM readings WHERE ts < ?", before_ts)}
        if history_before_ts is not None:
            deletes["rollups"] = ("DELETE FROM rollups WHERE minute < ?", history_before_ts)
            deletes["home_rollups"] = (
                "DELETE FROM home_rollups WHERE minute < ?",
                history_before_ts,
            )
            deletes.update(prune_statements(history_before_ts))
            deletes["audit"] = ("DELETE FROM audit WHERE ts < ?", history_before_ts)
            deletes["alerts"] = (
                "DELETE FROM alerts WHERE state = 'cleared' AND updated_ts < ?",
                history_before_ts,
            )
        with self._transaction() as conn:
            return {
                table: conn.execute(sql, (ts,)).rowcount for table, (sql, ts) in deletes.items()
            }
