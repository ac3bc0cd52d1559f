"""HubService's calls: a caller that timed out is told the truth about what happened."""

from __future__ import annotations

import threading
import time

import pytest

from hub.config.load import HubConfig
from hub.controller import HubService
from hub.core.hub_core import HubCore
from protocol import SimClock, Topics


def service() -> HubService:
    return HubService(HubCore(HubConfig(), Topics()), SimClock(1.0, time.time()))


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
