"""Fixtures shared by the whole suite: brokers, processes and MQTT probes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from testkit.brokers import BrokerEndpoint, start_embedded_broker, start_mosquitto
from testkit.browser import CHROMIUM_ARGS
from testkit.mqtt_probe import MqttProbe
from testkit.processes import Processes

from harness import require_binary


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Processes]:
    """Start subprocesses for one test; every one is reaped at teardown."""
    processes = Processes(tmp_path, missing=pytest.skip.Exception)
    yield processes
    processes.cleanup()


@pytest.fixture(scope="session")
def session_procs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Processes]:
    processes = Processes(tmp_path_factory.mktemp("session-procs"), missing=pytest.skip.Exception)
    yield processes
    processes.cleanup()


@pytest.fixture(scope="session")
def embedded_broker(session_procs: Processes) -> BrokerEndpoint:
    """The embedded amqtt broker, anonymous, on a free port, shared by the session."""
    return start_embedded_broker(session_procs)


@pytest.fixture
def mosquitto_broker(procs: Processes, tmp_path: Path) -> BrokerEndpoint:
    """A real Mosquitto 2, anonymous, on a free port, for one test."""
    return start_mosquitto(procs, tmp_path, "allow_anonymous true")


@pytest.fixture
def mqtt_probe() -> Iterator[Callable[..., MqttProbe]]:
    """Make connected-on-demand MQTT clients; all are closed at teardown."""
    probes: list[MqttProbe] = []

    def make(broker: BrokerEndpoint, **kwargs) -> MqttProbe:
        probe = MqttProbe(broker, **kwargs)
        probes.append(probe)
        return probe

    yield make
    for probe in probes:
        probe.close()


@pytest.fixture(scope="session")
def browser():
    """The system Chromium driven by Playwright (no browser download), shared by the session."""
    chromium = require_binary("chromium", "chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked `long` first: a worker starts on one while the other runs the rest."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
