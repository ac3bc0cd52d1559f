"""The live home the docs' examples run against, one per test module."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest

from testkit.doc_examples import DocHome, DocShell
from testkit.launcher import LaunchedHome, start_home
from testkit.ports import wait_for
from testkit.processes import Processes
from testkit.programs import ROOT

from harness import require_binary

TOKEN = "correct-horse-battery"
"""The home's HUB_AUTH_TOKEN, which the docs' examples send from the environment."""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocHome]:
    require_binary("mosquitto_sub", "mosquitto-clients")
    require_binary("curl", "curl")
    logs = tmp_path_factory.mktemp("doc-home")
    procs = Processes(logs, env={"HUB_AUTH_TOKEN": TOKEN}, missing=pytest.skip.Exception)
    devices = len(tomllib.loads((ROOT / "home.toml").read_text())["devices"])
    try:
        home = start_home(procs, logs / "data", "--speed", "60", name="home")
        shell = DocShell(
            tmp_path_factory.mktemp("doc-sandbox"),
            home.mqtt_port,
            home.http_port,
            {"HUB_AUTH_TOKEN": TOKEN, "MQTT_URL": f"mqtt://127.0.0.1:{home.mqtt_port}"},
        )
        wait_for(lambda: online(home) == devices, 90, "every device of home.toml online")
        yield DocHome(home, shell, procs, devices)
    finally:
        procs.cleanup()


def online(home: LaunchedHome) -> int:
    try:
        return home.hub.get("/api/summary")["devices_online"]
    except OSError:
        assert home.process.alive(), home.process.output()
        return 0
