"""Socket.IO from a real client's side, with a hub fed by real device processes."""

import threading

import pytest
import socketio
from live_home import start_live_home

from harness import wait_for

pytestmark = pytest.mark.integration


class Listener:
    """A python-socketio client that records every event it receives."""

    def __init__(self, url, **connect_args):
        self.client = socketio.Client(reconnection=False)
        self.events: dict[str, list] = {}
        self._lock = threading.Lock()
        self.client.on("*", self._record)
        self.client.connect(url, transports=["websocket"], wait_timeout=10, **connect_args)

    def _record(self, event, data=None):
        with self._lock:
            self.events.setdefault(event, []).append(data)

    def got(self, event):
        with self._lock:
            return list(self.events.get(event, []))

    def command(self, device, command):
        return self.client.call("command", {"device": device, "command": command}, timeout=10)


@pytest.fixture
def home(procs, tmp_path):
    home = start_live_home(procs, tmp_path)
    home.device("light", "hall")
    home.device("kettle", "kettle", "--param", "boil_s=600")
    home.wait_devices(2)
    return home


def test_snapshot_then_batched_readings_and_alerts(home):
    listener = Listener(home.url)
    try:
        snapshot = wait_for(lambda: listener.got("snapshot"), 10, "the snapshot")[0]
        assert {d["id"] for d in snapshot["devices"]} == {"hall", "kettle"}
        assert snapshot["summary"]["devices_online"] == 2
        assert snapshot["thresholds"][0]["rule"] == "total-power"
        wait_for(lambda: listener.got("readings"), 10, "a batch of readings")
        batch = listener.got("readings")[0]
        assert isinstance(batch, list) and {"id", "ts", "power_w"} <= set(batch[0])
        reply = listener.command("kettle", "ON")
        assert reply["ok"] and reply["result"]["state"]["on"] is True
        alert = wait_for(lambda: listener.got("alert"), 10, "an alert")[0]
        assert (alert["rule"], alert["state"]) == ("total-power-high", "raised")
        wait_for(lambda: listener.got("summary"), 10, "a summary")
    finally:
        listener.client.disconnect()


def test_commands_are_validated_and_answered(home):
    listener = Listener(home.url)
    try:
        assert listener.command("hall", {"level": 30})["result"]["state"]["level"] == 30
        refused = listener.command("kettle", {"level": 30})
        assert not refused["ok"] and "dimmable" in refused["error"]
        assert "no device" in listener.command("toaster", "ON")["error"]
        assert not listener.command("Hall!", "ON")["ok"]
        assert not listener.command("hall", "BOIL")["ok"]
        assert not listener.command("hall", {"colour": "red"})["ok"]
    finally:
        listener.client.disconnect()


def test_cross_origin_connections_are_refused(home):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(home.url, headers={"Origin": "http://evil.example"})


def test_with_a_token_commands_need_it(procs, tmp_path):
    home = start_live_home(procs, tmp_path, "--auth-token", "s3cret")
    home.device("light", "lamp")
    home.wait_devices(1)
    anonymous = Listener(home.url)
    trusted = Listener(home.url, auth={"token": "s3cret"})
    try:
        assert "token" in anonymous.command("lamp", "ON")["error"]
        assert trusted.command("lamp", "ON")["ok"]
    finally:
        anonymous.client.disconnect()
        trusted.client.disconnect()
