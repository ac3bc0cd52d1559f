"""The hub's one state-owning thread, and the features that react to what it decides.

Architecture: paho's network thread only enqueues; the web's request threads
only enqueue; a single thread runs the core (messages, calls, and a tick about
once a second) and hands the resulting events to features in order. A feature
that fails is logged and cannot take the others down, when it starts or stops
as when it handles an event.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from hub.core.events import Event
from hub.core.hub_core import HubCore, Now
from protocol import SimClock

TICK_S = 1.0
DRAIN_MAX = 1000
"""Messages (a batch counts its readings) handled per drain of the inbox before features
hear `drained` (bounds latency)."""
T = TypeVar("T")
log = logging.getLogger("hub")


def now_of(clock: SimClock) -> Now:
    """Now, in real time and in the home's simulated time."""
    real = time.time()
    return Now(real, clock.now(real))


class Feature:
    """Something the hub does with what its core decides: the log, MQTT, the live page.

    The controller starts features in order when it runs and stops them in
    reverse when it stops; in between it hands each one every event, in order,
    on the core thread. Each method is called on the core thread and does
    nothing unless the feature says otherwise.
    """

    def start(self) -> None:
        """Before the first event: start whatever the feature runs (threads, connections)."""

    def handle(self, event: Event) -> None:
        """One of the core's events; must be quick (the core thread waits)."""

    def drained(self) -> None:
        """After each round of the core's work (a drain of the inbox, a tick): hand on in
        one go what the round's events gave (the log's feed does, the live relay does)."""

    def stop(self) -> None:
        """After the last event (the core's final tick): flush, say goodbye, end threads."""


@dataclass(frozen=True)
class _Messages:
    """MQTT messages received together (one, or a batch from `hub.mqtt.receiver`), in order."""

    messages: list[tuple[str, bytes]]


@dataclass(frozen=True)
class _Call:
    action: Callable[[HubCore, Now], object]
    future: Future
    acts: bool
    """Whether the action returns events to hand to the features."""


class Inbox(queue.SimpleQueue):
    """What other threads hand the core thread, in order: putting never blocks.

    An object of its own so that what delivers messages (the MQTT adapter, itself
    one of the features) can be built before the controller that reads them.
    """

    def submit_message(self, topic: str, payload: bytes) -> None:
        """Called on paho's thread: never blocks, never parses."""
        self.put(_Messages([(topic, payload)]))

    def submit_messages(self, messages: list[tuple[str, bytes]]) -> None:
        """Many (topic, payload) at once, as one inbox item: never blocks, never parses."""
        self.put(_Messages(messages))

    def submit_call(self, action: Callable[[HubCore, Now], Any], acts: bool = False) -> Future:
        """Run `action(core, now)` on the core thread, without waiting for it; with `acts`,
        it returns events, which reach every feature."""
        future: Future = Future()
        self.put(_Call(action, future, acts))
        return future


class HubController:
    def __init__(
        self,
        core: HubCore,
        clock: SimClock,
        features: Sequence[Feature] = (),
        inbox: Inbox | None = None,
    ):
        self.core = core
        self.clock = clock
        self.features = tuple(features)
        self.inbox = Inbox() if inbox is None else inbox
        self._stop = threading.Event()
        self.max_queue = 0

    # ---- from any thread --------------------------------------------------------------

    def query(self, action: Callable[[HubCore, Now], T], timeout: float = 10.0) -> T:
        """Run `action(core, now)` on the core thread and return what it returns."""
        return self._call(action, timeout, acts=False)

    def act(
        self, action: Callable[[HubCore, Now], list[Event]], timeout: float = 10.0
    ) -> list[Event]:
        """Run `action` on the core thread, hand its events to the features, return them."""
        return self._call(action, timeout, acts=True)

    def submit(self, action: Callable[[HubCore, Now], list[Event]]) -> Future:
        """Queue `action` for the core thread without waiting: how a feature, which runs on
        that thread, acts on the core (its events reach every feature, as `act`'s do)."""
        return self.inbox.submit_call(action, acts=True)

    def _call(self, action: Callable[[HubCore, Now], T], timeout: float, acts: bool) -> T:
        """TimeoutError promises the action did not and will not run: a call still waiting
        in the inbox is cancelled (the core thread skips it); one the core has already
        started is waited for and answered, so a change is never reported failed and made.
        """
        future: Future = Future()
        self.inbox.put(_Call(action, future, acts))
        try:
            return future.result(timeout)
        except TimeoutError:
            if future.cancel():
                raise
        return future.result()  # started just as the caller gave up: the core runs it to the end

    def now(self) -> Now:
        return now_of(self.clock)

    def stop(self) -> None:
        self._stop.set()
        self.inbox.put(None)

    @property
    def queue_depth(self) -> int:
        return self.inbox.qsize()

    # ---- the core thread --------------------------------------------------------------

    def run(self) -> None:
        """Start the features, run the core until `stop()`, then stop the features."""
        self._tell_features("start", self.features)
        try:
            self._run()
        finally:
            self._tell_features("stop", tuple(reversed(self.features)))

    def _run(self) -> None:
        next_tick = 0.0
        while not self._stop.is_set():
            if time.monotonic() >= next_tick:
                self._dispatch(self.core.tick(self.now()))
                self._tell_features("drained", self.features)
                next_tick = time.monotonic() + TICK_S
            try:
                item = self.inbox.get(timeout=max(0.0, next_tick - time.monotonic()))
            except queue.Empty:
                continue
            self.max_queue = max(self.max_queue, self.inbox.qsize() + 1)
            self._drain(item)
            self._tell_features("drained", self.features)
        # what arrived before the stop, then a last tick, so the log holds it all
        while True:
            try:
                item = self.inbox.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                self._process(item)
        self._dispatch(self.core.tick(self.now()))
        self._tell_features("drained", self.features)

    def _drain(self, item: _Messages | _Call | None) -> None:
        """Handle `item` and what else is waiting, up to `DRAIN_MAX` messages, so that
        features hear `drained` once for the lot. Nothing taken is left unhandled."""
        budget = DRAIN_MAX
        while item is not None:  # None: stop() was called
            budget -= self._process(item)
            if budget <= 0:
                return
            try:
                item = self.inbox.get_nowait()
            except queue.Empty:
                return

    def _process(self, item: _Messages | _Call) -> int:
        """Handle one inbox item; how many messages it held."""
        if isinstance(item, _Messages):
            now = self.now()  # the batch spans a few milliseconds
            for topic, payload in item.messages:
                self._dispatch(self.core.handle_message(topic, payload, now))
            return max(1, len(item.messages))
        self._run_call(item)
        return 1

    @staticmethod
    def _tell_features(step: str, features: Sequence[Feature]) -> None:
        """`start`, `drained` or `stop` each feature; one that fails is logged and skipped."""
        for feature in features:
            try:
                getattr(feature, step)()
            except Exception:
                log.exception("%s failed in %s()", type(feature).__name__, step)

    def _run_call(self, call: _Call) -> None:
        if not call.future.set_running_or_notify_cancel():
            return
        try:
            result = call.action(self.core, self.now())
        except Exception as exc:  # the caller decides what its error means
            call.future.set_exception(exc)
            return
        if call.acts:
            self._dispatch(result)
        call.future.set_result(result)

    def _dispatch(self, events: Sequence[Event]) -> None:
        for event in events:
            for feature in self.features:
                try:
                    feature.handle(event)
                except Exception:
                    log.exception("%s failed on %s", type(feature).__name__, type(event).__name__)
