"""A real hub without a broker, for the web's tests: `live_hub` and `hub_api`.

The hub is the real thing from the core to the log: a `HubCore` on a
`HubController` thread, a `Store` and its `StoreWriter` in tmp_path, the
`CommandTracker`. Only MQTT is missing: device messages are fed straight
into the controller's inbox (`LiveHub.add_device`, `LiveHub.reading`...), and the
`StandInDevice` feature answers each command the way a device process
would, so commands complete without a broker. Every event the core emits is
recorded in `LiveHub.events`, which is what the MQTT publisher would have
sent: no `CommandIssued` there means nothing reached MQTT.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from hub.api import HubApi
from hub.controller import Feature, HubController, now_of
from hub.core.events import CommandIssued, Event
from hub.core.hub_core import HubCore
from hub.core.settings import HomeConfig, HubConfig, Period, TariffConfig, ThresholdConfig
from hub.features.commands import CommandTracker
from hub.features.log_writer import StoreFeed
from hub.features.manager import ManagerFeature
from hub.store.database import Store, db_path
from hub.store.writer import StoreWriter
from hub.views import LiveViews
from protocol import CommandResult, Meta, SimClock, State, Topics
from web import create_app
from web.live.relay import Relay

TEST_CONFIG = HubConfig(
    home=HomeConfig(name="Test home", timezone=ZoneInfo("Europe/London"), currency="GBP"),
    tariff=TariffConfig(
        standing_charge_per_day=0.5,
        export_rate=0.1,
        periods=(Period("flat", clock_time(0), clock_time(0), 0.25),),
    ),
    thresholds=(ThresholdConfig("total-power", above=3000.0, clear_below=2850.0, for_s=0.0),),
)


class StandInDevice(Feature):
    """A stand-in for the device processes: answers every command on their `result` topic.

    A hub feature, so it sees each `CommandIssued` as the MQTT publisher would,
    and replies through `submit_message` as a device's reply would arrive.
    Devices in `silent` never answer (the hub times out); devices in
    `refusing` answer with an error, as a device refusing a command does.
    """

    def __init__(self, hub: LiveHub):
        self.hub = hub
        self.silent: set[str] = set()
        self.refusing: set[str] = set()

    def handle(self, event: Event) -> None:
        if not isinstance(event, CommandIssued) or event.device_id in self.silent:
            return
        device_id, command = event.device_id, event.command
        if device_id in self.refusing:
            result = CommandResult.failure("the lid is open", command.to_payload())
        else:
            old = self.hub.states[device_id]
            on = (not old.on) if command.toggle else old.on if command.on is None else command.on
            level = old.level if command.level is None else command.level
            state = self.hub.next_state(device_id, on=on, level=level)
            result = CommandResult.success(command.to_request(), state)
            self.hub.send(device_id, "state", state.to_payload())
        self.hub.send(device_id, "result", result.to_payload())


class LiveHub(Feature):
    """The hub of the module docstring; `close` stops its threads and closes the log."""

    def __init__(self, data_dir: Path, config: HubConfig = TEST_CONFIG):
        self.store = Store.open(db_path(data_dir))
        self.writer = StoreWriter(self.store, flush_interval_s=0.05).start()
        feed = StoreFeed(self.writer)
        self.tracker = CommandTracker(feed.audit, time.time)
        self.core = HubCore(config, Topics("home"))
        clock = SimClock(1.0, time.time())
        self.events: list[Event] = []
        self.states: dict[str, State] = {}
        self.stand_in = StandInDevice(self)
        self.relay = Relay(LiveViews(self.core, clock))
        self.plans: list[bytes] = []
        """What the manager published on home/hub/plan, in order."""
        self.manager_answers: list[bytes] = []
        self.manager = ManagerFeature(
            self.core,
            lambda: now_of(clock),
            lambda action: self.controller.submit(action),
            self.plans.append,
            self.manager_answers.append,
        )
        features = [feed, self.tracker, self.stand_in, self.manager, self.relay, self]
        self.controller = HubController(self.core, clock, features)
        self.api = HubApi(
            self.controller,
            self.tracker,
            self.writer,
            lambda: True,
            store=self.store,
            manager=self.manager,
        )
        self._thread = threading.Thread(target=self.controller.run, name="hub-core", daemon=True)
        self._thread.start()

    def handle(self, event: Event) -> None:
        """As a feature: record what the core decided (what MQTT would be told)."""
        self.events.append(event)

    # ---- feeding device messages -------------------------------------------------------

    def send(self, device_id: str, channel: str, payload: bytes) -> None:
        """Deliver one MQTT message, as the hub's MQTT adapter would."""
        self.controller.inbox.submit_message(f"home/{device_id}/{channel}", payload)

    def add_device(
        self,
        device_id: str,
        power_w: float = 100.0,
        energy_wh: float = 0.0,
        *,
        on: bool = True,
        **meta: Any,
    ) -> None:
        """A device announces itself (meta, availability) and sends its first reading."""
        fields: dict[str, Any] = {
            "id": device_id,
            "name": device_id.replace("-", " ").capitalize(),
            "kind": "test",
            "role": "consumer",
            "rated_w": 3000.0,
            "standby_w": 0.0,
            "dimmable": False,
            "interval_s": 60.0,
            "priority": 3,
            "sw": "test",
        }
        self.send(device_id, "meta", Meta(**{**fields, **meta}).to_payload())
        self.send(device_id, "availability", b"online")
        self.reading(device_id, power_w, energy_wh, on=on)

    def reading(self, device_id: str, power_w: float, energy_wh: float, **changes: Any) -> None:
        """A new reading; waits until the core has taken it."""
        state = self.next_state(device_id, power_w=power_w, energy_wh=energy_wh, **changes)
        self.send(device_id, "state", state.to_payload())
        self.sync()

    def next_state(self, device_id: str, **changes: Any) -> State:
        """The device's next state: its last one (or a fresh one) with `changes`, now."""
        old = self.states.get(device_id)
        base = old or State(ts=time.time(), seq=0, on=True, power_w=0.0, energy_wh=0.0, phase="on")
        seq = base.seq + 1 if old else 1
        state = replace(base, ts=self.controller.now().sim, seq=seq, **changes)
        if "phase" not in changes:
            state = replace(state, phase="on" if state.on else "off")
        self.states[device_id] = state
        return state

    def go_offline(self, device_id: str) -> None:
        self.send(device_id, "availability", b"offline")
        self.sync()

    # ---- waiting for the hub -----------------------------------------------------------

    def sync(self) -> None:
        """Wait until the core has handled everything sent so far."""
        self.controller.query(lambda core, now: None)

    def tick(self) -> list[Event]:
        """Run the core's periodic step now (statuses, thresholds, ledger)."""
        return self.controller.act(lambda core, now: core.tick(now))

    def flush(self) -> None:
        """Wait until everything the core decided is in the log."""
        self.sync()
        assert self.writer.flush(), self.writer.last_error

    def commands_issued(self) -> list[CommandIssued]:
        return [e for e in self.events if isinstance(e, CommandIssued)]

    def close(self) -> None:
        self.controller.stop()
        self._thread.join(10)
        self.writer.stop()
        self.store.close()


STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
STATIC_ORIGIN = "http://static.test"


@pytest.fixture
def static_page(browser: Any) -> Iterator[Any]:
    """A Chromium page that can import the dashboard's modules, served from the checkout."""
    page = browser.new_page()

    def serve(route: Any) -> None:
        name = route.request.url.removeprefix(STATIC_ORIGIN + "/") or "index.html"
        if name == "index.html":
            route.fulfill(body="<!doctype html><title>t</title>", content_type="text/html")
        else:
            route.fulfill(path=STATIC / name, content_type="text/javascript")

    page.route(f"{STATIC_ORIGIN}/**", serve)
    page.goto(f"{STATIC_ORIGIN}/")
    yield page
    page.close()


@pytest.fixture
def live_hub(tmp_path: Path) -> Iterator[LiveHub]:
    hub = LiveHub(tmp_path / "data")
    yield hub
    hub.close()


@pytest.fixture
def hub_api(live_hub: LiveHub) -> HubApi:
    """The `HubApi` of a running `live_hub`; feed it devices through `live_hub`."""
    return live_hub.api


@pytest.fixture
def client(live_hub: LiveHub) -> FlaskClient:
    """A Flask test client of the whole web app on `live_hub`, with no token set."""
    return create_app(live_hub.api, live_hub.relay).test_client()


@pytest.fixture
def unreadable_log_client(live_hub: LiveHub, tmp_path: Path) -> FlaskClient:
    """A test client of the web app on `live_hub` whose log (the `Store`) cannot be read."""
    broken = Store.open(tmp_path / "other" / "hub.db")
    broken.close()
    api = HubApi(live_hub.controller, live_hub.tracker, live_hub.writer, lambda: True, store=broken)
    return create_app(api, live_hub.relay).test_client()
