"""The one thread that writes the hub's log, so that nothing else ever waits on the disk.

Producers (the core's thread, the command path) call `StoreWriter.submit`,
which only appends to a pending batch under a lock. Every `flush_interval_s`
the thread commits the whole pending batch in one transaction, so a kill -9
loses at most that interval of data. When the disk refuses (full, read-only,
locked, gone), the writer logs one error, keeps the data in memory (readings
beyond `max_pending_readings` are dropped oldest first, and counted), reports
`healthy = False` and retries every interval, so logging resumes by itself
when the problem clears. Nothing here raises into a caller.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from hub.store.schema import BadBatchError, Batch

log = logging.getLogger(__name__)

DAY_S = 86400.0
# Rollups, cleared alerts and the audit outlive readings by this factor, and by at
# least MIN_HISTORY_S: this month's totals must always be restorable from rollups,
# and a year of minutes per device is small (about 40 MB for 20 devices).
HISTORY_FACTOR = 10
MIN_HISTORY_S = 400 * DAY_S


def expiry_cutoffs(now_ts: float, retention_s: float) -> tuple[float, float]:
    """(before_ts, history_before_ts) for `Store.prune` under a retention of `retention_s`.

    Readings are kept `retention_s`; history (rollups, cleared alerts, audit)
    `HISTORY_FACTOR` times as long and never less than `MIN_HISTORY_S`.
    """
    return now_ts - retention_s, now_ts - max(HISTORY_FACTOR * retention_s, MIN_HISTORY_S)


class Writable(Protocol):
    """What the writer needs of `hub.store.database.Store`."""

    def write(self, batch: Batch) -> None: ...
    def prune(self, before_ts: float, history_before_ts: float | None = None) -> dict[str, int]: ...
    def reset_connection(self) -> None: ...


class StoreWriter:
    """Batches submitted rows and commits them from its own thread; see the module docstring.

    Retention: with `retention_s` and `now` (the simulation clock) set, the
    thread prunes about every `prune_interval_s` of `clock` time (real seconds),
    first on its first cycle, with the cutoffs of `expiry_cutoffs`.
    `retention_s` may be changed at run time.
    """

    def __init__(
        self,
        store: Writable,
        flush_interval_s: float = 0.5,
        *,
        max_pending_readings: int = 200_000,
        retention_s: float | None = None,
        now: Callable[[], float] | None = None,
        prune_interval_s: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.flush_interval_s = flush_interval_s
        self.max_pending_readings = max_pending_readings
        self.retention_s = retention_s
        self._now = now
        self._prune_interval_s = prune_interval_s
        self._clock = clock
        self._last_prune: float | None = None
        self.healthy = True
        self.last_error: str | None = None
        self.dropped_readings = 0
        self.dropped_rows = 0  # rows of batches refused as unstorable
        self._pending = Batch()
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._requested = 0  # flush generations asked for, and done
        self._completed = 0
        self._stopping = False
        self._exited = False
        self._thread: threading.Thread | None = None
        self._flush_lock = threading.Lock()  # one flush at a time, thread or inline

    @property
    def pending_rows(self) -> int:
        """Rows submitted and not yet committed."""
        with self._cond:
            return len(self._pending)

    def start(self) -> StoreWriter:
        """Start the writer thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
            self._thread.start()
        return self

    def submit(self, part: Batch) -> None:
        """Queue `part` for the next commit; never blocks on the disk, never raises."""
        try:
            with self._cond:
                self._pending.extend(part)
                self._bound_pending()
        except Exception:  # not a Batch: a bug in the caller, which must not die of it
            log.exception("the log writer was given something that is not a Batch")

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Commit everything submitted before this call; True if it is now in the log.

        Blocks until the writer thread has tried (or `timeout` passed); without a
        running thread, it writes in the caller's thread.
        """
        with self._cond:
            if self._thread is not None and not self._exited:
                self._requested += 1
                target = self._requested
                self._wake.set()
                self._cond.wait_for(lambda: self._completed >= target or self._exited, timeout)
                if self._completed >= target:
                    return self.healthy
                if not self._exited:
                    return False  # timed out: the disk is hanging
        self._flush_once()  # no thread (not started, or stopped) to do it
        return self.healthy and not self.pending_rows

    def stop(self, timeout: float | None = 10.0) -> bool:
        """Stop the thread after a final commit; True if everything reached the log."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            with self._cond:
                self._stopping = True
            self._wake.set()
            thread.join(timeout)
        return self.flush(timeout)

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(self.flush_interval_s)
                self._wake.clear()
                with self._cond:
                    target, stopping = self._requested, self._stopping
                try:
                    self._flush_once()
                    self._maybe_prune()
                except Exception:  # a bug here must not end logging for good
                    log.exception("the log writer failed; retrying next interval")
                with self._cond:
                    self._completed = max(self._completed, target)
                    self._cond.notify_all()
                if stopping:
                    return
        finally:
            with self._cond:
                self._exited = True
                self._cond.notify_all()

    def _flush_once(self) -> None:
        with self._flush_lock:
            with self._cond:
                batch, self._pending = self._pending, Batch()
            if not len(batch):
                return
            try:
                self.store.write(batch)
            except BadBatchError as exc:
                self.dropped_rows += len(batch)
                log.error("dropped %d rows the log cannot store: %s", len(batch), exc)
            except Exception as exc:  # the disk refused: keep the rows, retry next time
                with self._cond:
                    batch.extend(self._pending)
                    self._pending = batch
                    self._bound_pending()
                self._failed(exc)
                return
            if not self.healthy:
                log.info("the log is writable again; wrote %d held rows", len(batch))
            self.healthy, self.last_error = True, None

    def _failed(self, exc: Exception) -> None:
        message = str(exc) or type(exc).__name__
        if self.healthy or message != self.last_error:
            log.error("%s; keeping new rows in memory and retrying", message)
        self.healthy, self.last_error = False, message
        try:
            self.store.reset_connection()  # a replaced file or restored directory is reopened
        except Exception:
            log.debug("closing the failed connection failed too", exc_info=True)

    def _bound_pending(self) -> None:
        # Caller holds self._cond.
        excess = len(self._pending.readings) - self.max_pending_readings
        if excess > 0:
            del self._pending.readings[:excess]
            self.dropped_readings += excess

    def _maybe_prune(self) -> None:
        retention_s, now = self.retention_s, self._now
        if retention_s is None or now is None or not self.healthy:
            return
        real = self._clock()
        if self._last_prune is not None and real - self._last_prune < self._prune_interval_s:
            return
        self._last_prune = real  # a failed prune is retried an interval later, not at once
        try:
            deleted = self.store.prune(*expiry_cutoffs(now(), retention_s))
        except Exception as exc:
            log.error(
                "pruning the log failed (retrying in %.0f s): %s", self._prune_interval_s, exc
            )
            return
        if any(deleted.values()):
            log.info("pruned the log: %s", ", ".join(f"{n} {t}" for t, n in deleted.items()))
