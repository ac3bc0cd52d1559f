"""HubController: its features' life cycle, and its calls (a caller that timed out is told
the truth about what happened)."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from hub.config.load import HubConfig
from hub.controller import Feature, HubController
from hub.core.events import Event, SummaryComputed
from hub.core.hub_core import HubCore
from protocol import SimClock, Topics


def service(*features: Feature) -> HubController:
    return HubController(HubCore(HubConfig(), Topics()), SimClock(1.0, time.time()), features)


class Told(Feature):
    """A feature that notes each call, in one list shared with the others; `failing` raises."""

    def __init__(self, name: str, told: list[str], failing: str = ""):
        self.name, self.told, self.failing = name, told, failing

    def _note(self, what: str) -> None:
        self.told.append(f"{self.name} {what}")
        if what == self.failing:
            raise RuntimeError(f"{self.name} cannot {what}")

    def start(self) -> None:
        self._note("start")

    def handle(self, event: Event) -> None:
        if isinstance(event, SummaryComputed):
            self._note("summary")

    def stop(self) -> None:
        self._note("stop")


def test_features_start_in_order_and_stop_in_reverse_around_every_event(caplog):
    told: list[str] = []
    features = [Told("log", told), Told("mqtt", told, failing="start"), Told("web", told)]
    hub = service(*features)
    hub.stop()
    with caplog.at_level(logging.ERROR, "hub"):
        hub.run()  # stopped before it began: starts, one last tick, stops
    assert told == [
        "log start", "mqtt start", "web start",
        "log summary", "mqtt summary", "web summary",
        "web stop", "mqtt stop", "log stop",
    ]  # fmt: skip
    assert [r.getMessage() for r in caplog.records] == ["Told failed in start()"]


def test_a_feature_that_fails_to_stop_does_not_keep_the_others_running():
    told: list[str] = []
    hub = service(Told("log", told), Told("web", told, failing="stop"))
    hub.stop()
    hub.run()
    assert told[-2:] == ["web stop", "log stop"]


def test_a_call_whose_caller_timed_out_never_runs():
    hub = service()  # its core thread is not running yet: the call waits in the inbox
    ran: list[str] = []
    with pytest.raises(TimeoutError):
        hub.act(lambda core, now: ran.append("changed") or [], timeout=0.05)
    hub.stop()
    hub.run()  # handles everything still in the inbox, then returns
    assert ran == []


def test_a_call_the_core_has_started_is_answered_even_past_the_timeout():
    hub = service()
    core_thread = threading.Thread(target=hub.run, daemon=True)
    core_thread.start()
    started, release = threading.Event(), threading.Event()

    def held(core: HubCore, now: object) -> str:
        started.set()
        release.wait(5)
        return "done"

    answers: list[str] = []
    caller = threading.Thread(target=lambda: answers.append(hub.query(held, timeout=0.5)))
    try:
        caller.start()
        assert started.wait(5)
        time.sleep(0.7)  # past the caller's timeout: it waits on, for a change under way
        assert answers == [] and caller.is_alive()
        release.set()
        caller.join(5)
        assert answers == ["done"]
    finally:
        release.set()
        hub.stop()
        core_thread.join(5)
