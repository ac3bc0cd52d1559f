"""Socket.IO from a real client's side, with a hub fed by real device processes; the
acknowledgements' error codes also through Flask-SocketIO's test client on the in-process hub."""

import threading

import pytest
import socketio
from live_home import start_live_home

from testkit.ports import wait_for
from web import create_app
from web.live.sockets import socketio as server

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


def adds_up(frame: dict, at: int | None = None) -> bool:
    """A frame's net, load and generation are its devices' powers added up (all consume here)."""
    powers = frame["device_power_w"]
    watts = sum(p if at is None else p[at] for p in powers.values())
    net, load = (frame[k] if at is None else frame[k][at] for k in ("power_w", "load_w"))
    return abs(net - watts) < 0.05 and abs(load - watts) < 0.05


def test_summaries_and_the_snapshot_series_are_frames_that_add_up(home):
    first = Listener(home.url)
    try:
        reply = first.command("kettle", "ON")  # 3 kW or so, with the hall light
        assert reply["ok"]
        summaries = wait_for(
            lambda: [s for s in first.got("summary") if s["device_power_w"]["kettle"] > 0],
            15,
            "a summary with the kettle on",
        )
        assert set(summaries[0]["device_power_w"]) == {"hall", "kettle"}
        assert all(adds_up(s) for s in first.got("summary"))
    finally:
        first.client.disconnect()
    series = wait_for(  # a new client each try: one every half second is plenty
        lambda: snapshot_series_with_the_kettle_on(home.url), 20, "a kept frame", interval=0.5
    )
    assert set(series["device_power_w"]) == {"hall", "kettle"}
    for column in (series["power_w"], series["load_w"], *series["device_power_w"].values()):
        assert len(column) == len(series["t"])
    assert all(adds_up(series, i) for i in range(len(series["t"])))


def snapshot_series_with_the_kettle_on(url: str) -> dict | None:
    """A new client's snapshot series, once the relay has kept a frame (one per 5 s) of it."""
    listener = Listener(url)
    try:
        series = wait_for(lambda: listener.got("snapshot"), 10, "the snapshot")[0]["series"]
    finally:
        listener.client.disconnect()
    return series if any(series["device_power_w"].get("kettle", [])) else None


def test_commands_are_validated_and_answered(home):
    listener = Listener(home.url)
    try:
        assert listener.command("hall", {"level": 30})["result"]["state"]["level"] == 30
        refused = listener.command("kettle", {"level": 30})
        assert not refused["ok"] and refused["error"]["code"] == "not_dimmable"
        assert "dimmable" in refused["error"]["message"]
        assert listener.command("toaster", "ON")["error"] == {
            "code": "not_found",
            "message": "no device 'toaster' in this home",
        }
        for device, command in (("Hall!", "ON"), ("hall", "BOIL"), ("hall", {"colour": "red"})):
            refused = listener.command(device, command)
            assert not refused["ok"] and refused["error"]["code"] == "invalid_request"
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
    wrong = Listener(home.url, auth={"token": "guess"})
    trusted = Listener(home.url, auth={"token": "s3cret"})
    try:
        refused = anonymous.command("lamp", "ON")
        assert not refused["ok"] and refused["error"]["code"] == "token_required"
        assert "token" in refused["error"]["message"]
        assert wrong.command("lamp", "ON")["error"]["code"] == "token_invalid"
        assert trusted.command("lamp", "ON")["ok"]
    finally:
        for listener in (anonymous, wrong, trusted):
            listener.client.disconnect()


# ---- acknowledgements through Flask-SocketIO's test client, on the in-process hub ----------


def acknowledge(live_hub, command, config=None, auth=None):
    """The acknowledgement of one `command` from a fresh connection (with `auth`)."""
    app = create_app(live_hub.api, live_hub.relay, config)
    client = server.test_client(app, auth=auth)
    try:
        return client.emit("command", command, callback=True)
    finally:
        client.disconnect()


def test_a_device_refusal_is_acknowledged_with_its_code_and_reply(live_hub):
    live_hub.add_device("oven")
    live_hub.stand_in.refusing.add("oven")
    reply = acknowledge(live_hub, {"device": "oven", "command": "OFF"})
    assert reply["ok"] is False
    assert reply["error"] == {"code": "device_refused", "message": "the lid is open"}
    assert reply["result"]["error"] == "the lid is open"


def test_an_offline_device_and_a_wrong_token_are_acknowledged_with_their_codes(live_hub):
    live_hub.add_device("fridge")
    live_hub.go_offline("fridge")
    offline = acknowledge(live_hub, {"device": "fridge", "command": "ON"})
    assert (offline["ok"], offline["error"]["code"]) == (False, "offline")
    wrong = acknowledge(
        live_hub, {"device": "fridge", "command": "ON"}, {"AUTH_TOKEN": "s3cret"}, {"token": "x"}
    )
    assert (wrong["ok"], wrong["error"]["code"]) == (False, "token_invalid")


def received(client, name):
    return [event["args"][0] for event in client.get_received() if event["name"] == name]


def test_live_updates_carry_what_the_events_told_and_end_when_the_relay_stops(live_hub):
    app = create_app(live_hub.api, live_hub.relay)
    client = server.test_client(app)
    try:
        (snapshot,) = received(client, "snapshot")
        assert snapshot["devices"] == [] and snapshot["summary"]["devices_total"] == 0
        live_hub.add_device("lamp", 60.0)
        lamp: dict = {}  # merged as the page merges it, in the order the events came

        def lamp_shown():
            for event in client.get_received():
                if event["name"] == "device":
                    lamp.update(event["args"][0])
                elif event["name"] == "readings":
                    for reading in event["args"][0]:
                        lamp.update(reading if reading["id"] == "lamp" else {})
            return lamp == live_hub.api.device("lamp")

        wait_for(lamp_shown, 5, "the page's lamp to be the REST API's")
        assert (lamp["status"], lamp["power_w"]) == ("online", 60.0)
        live_hub.tick()
        wait_for(lambda: received(client, "summary"), 5, "a summary")
    finally:
        client.disconnect()
    live_hub.relay.stop()
    task = app.extensions["relay_task"].thread
    task.join(5)
    assert not task.is_alive()
