"""The hub as a process, with real devices on a real broker."""

import signal
import subprocess
import time

import pytest

from common.mqtt import BrokerAddress, MqttSettings
from hub.config.load import parse_config
from hub.core.events import CounterPosition
from hub.process import HubProcess, HubSettings, resumed_clock
from hub.store.database import Store, db_path
from hub.store.schema import Batch
from protocol import Alert, Clock, Prices, Summary, Topics
from testkit import configs
from testkit.brokers import start_embedded_broker
from testkit.devices import start_device
from testkit.hub import Hub
from testkit.ports import wait_for
from testkit.programs import ROOT, python_module, run_module

pytestmark = pytest.mark.integration

CONFIG = configs.home_toml(
    "Test home",
    configs.threshold(2000, clear_below_w=1500),
    currency="GBP",
    standing_charge_per_day=0.5,
)


@pytest.fixture
def embedded_broker(procs):
    """A broker of the test's own: retained devices of other tests must not join this home."""
    return start_embedded_broker(procs)


@pytest.fixture
def config_path(tmp_path):
    return configs.write_config(tmp_path, CONFIG)


def logged_counters(data_dir):
    store = Store.open(db_path(data_dir), read_only=True)
    try:
        return store.last_counters()
    finally:
        store.close()


def test_summary_is_the_sum_of_the_devices_and_alerts_come_and_go(
    procs, embedded_broker, mqtt_probe, tmp_path, config_path
):
    watcher = mqtt_probe(embedded_broker).connected()
    watcher.subscribe("home/hub/#")
    hub = Hub(procs, embedded_broker, tmp_path / "data", config_path, "--speed", "60")
    start_device(procs, embedded_broker, "kettle", "k1", "--param", "boil_s=600")
    start_device(procs, embedded_broker, "light", "l1")
    start_device(procs, embedded_broker, "light", "l2", "--param", "rated_w=100")
    wait_for(lambda: hub.get("/api/summary")["devices_online"] == 3, 20, "three devices")
    watcher.publish("home/l1/set", b'{"on": true, "level": 50}')
    watcher.publish("home/l2/set", b"ON")
    wait_for(lambda: hub.get("/api/summary")["power_w"] == 120.0, 10, "20 W + 100 W")
    watcher.publish("home/k1/set", b"ON")

    def summary_on_mqtt(power):
        return any(
            Summary.from_payload(m.payload).power_w == power
            for m in watcher.received("home/hub/summary")
        )

    wait_for(lambda: summary_on_mqtt(2920.0), 10, "the kettle in the summary")
    raised = watcher.wait_message(
        "home/hub/alerts", lambda m: Alert.from_payload(m.payload).state == "raised"
    )
    assert Alert.from_payload(raised.payload).rule == "total-power-high"
    watcher.publish("home/k1/set", b"OFF")
    cleared = watcher.wait_message(
        "home/hub/alerts", lambda m: Alert.from_payload(m.payload).state == "cleared"
    )
    assert Alert.from_payload(cleared.payload).id == Alert.from_payload(raised.payload).id
    assert hub.get("/api/summary")["energy_today_wh"] > 0
    assert Clock.from_payload(watcher.wait_message("home/hub/clock").payload).speed == 60
    devices = {d["id"]: d for d in hub.get("/api/devices")}
    assert devices["k1"]["energy_today_wh"] > 0 and devices["k1"]["status"] == "online"


def test_the_prices_ahead_are_retained_and_republished_when_the_tariff_changes(
    procs, embedded_broker, mqtt_probe, tmp_path, config_path
):
    hub = Hub(procs, embedded_broker, tmp_path / "data", config_path, "--speed", "60")
    late = mqtt_probe(embedded_broker).connected()
    late.subscribe("home/hub/prices")
    retained = late.wait_message("home/hub/prices", lambda m: m.retain)
    assert retained.qos == 1
    flat = Prices.from_payload(retained.payload)
    assert flat.slots[-1].end >= hub.get("/api/summary")["ts"] + 86400
    assert {slot.import_price for slot in flat.slots} == {configs.FLAT_RATE}
    status, _ = hub.request(
        "PUT", "/api/tariff", b'{"periods": [{"name": "flat", "start": "00:00", "end": "00:00",'
        b' "rate": 0.25}], "prices": "agile-like"}'
    )  # fmt: skip
    assert status == 200

    def agile(message):
        return all(s.end - s.start == 1800 for s in Prices.from_payload(message.payload).slots)

    published = Prices.from_payload(late.wait_message("home/hub/prices", agile).payload).slots
    served = Prices.from_dict(hub.get("/api/prices")).slots  # a slot may have passed since
    assert set(published[2:]) < set(served) and published[-1].end <= served[-1].end + 1800


def test_kill_9_and_restart_loses_no_energy(
    procs, embedded_broker, mqtt_probe, tmp_path, config_path
):
    steady = Hub(procs, embedded_broker, tmp_path / "steady", config_path)
    victim = Hub(procs, embedded_broker, tmp_path / "victim", config_path)
    homes = [
        start_device(procs, embedded_broker, kind, f"{kind}-x", "--speed", "120")
        for kind in ("fridge", "tv", "kettle", "light")
    ]
    for hub in (steady, victim):
        wait_for(lambda hub=hub: hub.get("/api/summary")["devices_online"] == 4, 20, "devices")
    control = mqtt_probe(embedded_broker).connected()
    for device_id in ("tv-x", "kettle-x", "light-x"):
        control.publish(f"home/{device_id}/set", b"ON")
    wait_for(lambda: victim.get("/api/summary")["energy_today_wh"] > 20, 30, "some energy")
    # mid-run: the victim's log already holds every device's counter
    wait_for(lambda: len(logged_counters(tmp_path / "victim")) == 4, 10, "a flushed log")
    control.subscribe("home/hub/availability")
    victim.process.send_signal(signal.SIGKILL)
    victim.process.wait_exit()
    control.wait_message("home/hub/availability", lambda m: m.payload == b"offline")
    restarted = Hub(procs, embedded_broker, tmp_path / "victim", config_path)
    wait_for(lambda: restarted.get("/api/summary")["energy_today_wh"] > 60, 30, "more energy")
    for process in homes:
        assert process.stop(signal.SIGTERM) == 0

    def settled():
        a, b = steady.get("/api/summary"), restarted.get("/api/summary")
        return a["power_w"] == 0 and b["power_w"] == 0 and (a, b)

    a, b = wait_for(settled, 20, "both hubs to see the devices stop")
    wait_for(
        lambda: (
            steady.get("/api/summary")["energy_today_wh"]
            == steady.get("/api/summary")["energy_today_wh"]
        ),
        5,
        "steady figures",
    )
    a, b = steady.get("/api/summary"), restarted.get("/api/summary")
    assert b["energy_today_wh"] == pytest.approx(a["energy_today_wh"], rel=0.005)
    assert b["cost_today"] == pytest.approx(a["cost_today"], rel=0.005)


def test_a_bad_config_file_is_one_clear_line(tmp_path):
    path = configs.write_config(tmp_path, CONFIG.replace("rate = 0.25", 'rate = "cheap"'))
    result = run_module("hub", "--config", str(path), "--check")
    assert result.returncode == 2
    assert "home.toml:10: tariff.periods[0].rate" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_accepts_a_good_config(config_path):
    result = run_module("hub", "--config", str(config_path), "--check")
    assert result.returncode == 0, result.stderr
    assert "Test home" in result.stdout


def test_a_taken_http_port_is_a_clear_error(procs, embedded_broker, tmp_path, config_path):
    first = Hub(procs, embedded_broker, tmp_path / "a", config_path)
    second = procs.start(
        "hub2",
        python_module(
            "hub",
            "--broker",
            embedded_broker.url,
            "--data-dir",
            str(tmp_path / "b"),
            "--http-port",
            str(first.http_port),
            "--config",
            str(config_path),
        ),
    )
    assert second.wait_exit() == 1
    assert "choose another port with --http-port" in second.output()
    assert "Traceback" not in second.output()


def test_export_writes_what_the_hub_logged(procs, embedded_broker, tmp_path, config_path):
    hub = Hub(procs, embedded_broker, tmp_path / "data", config_path)
    start_device(procs, embedded_broker, "light", "lamp", "--param", "auto=true")
    wait_for(lambda: hub.get("/api/summary")["devices_online"] == 1, 20, "the lamp")
    assert hub.process.stop(signal.SIGTERM) == 0
    result = subprocess.run(
        python_module(
            "hub",
            "export",
            "--from",
            "0",
            "--to",
            "9999999999",
            "--data-dir",
            str(tmp_path / "data"),
            "--device",
            "lamp",
        ),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("timestamp,power_w,device")
    assert len(lines) >= 2 and all(",lamp," in line for line in lines[1:])


def test_thousands_of_malformed_messages_change_nothing(
    procs, embedded_broker, mqtt_probe, tmp_path, config_path
):
    hub = Hub(procs, embedded_broker, tmp_path / "data", config_path)
    start_device(procs, embedded_broker, "light", "porch", "--param", "rated_w=60")
    control = mqtt_probe(embedded_broker).connected()
    wait_for(lambda: hub.get("/api/summary")["devices_online"] == 1, 20, "the porch light")
    control.publish("home/porch/set", b"ON")
    wait_for(lambda: hub.get("/api/summary")["power_w"] == 60.0, 10, "60 W")
    energy_before = hub.get("/api/summary")["energy_today_wh"]
    # (an empty meta is not garbage: it is how a device is removed, so it is not sent)
    bad = [
        b" ",
        b"{",
        b"null",
        b"true",
        b'{"id": "porch"}',
        b"[]",
        b'{"ts": "x"}',
        b"\xff\xfe",
        b"NaN",
        b"x" * 70000,
        b'{"ts": 1, "seq": -1, "on": true, "power_w": 1e308, "energy_wh": -5}',
    ]
    topics = [
        "home/porch/state",
        "home/porch/meta",
        "home/porch/availability",
        "home/porch/result",
        "home/ghost/state",
        "home/ghost/meta",
        "home/Porch/state",
        "home/porch/state/extra",
        "home/hub/summary",
    ]
    for n in range(3000):
        control.client.publish(topics[n % len(topics)], bad[n % len(bad)], qos=0)
    control.publish("home/porch/set", b"")  # a marker after the flood, QoS 1
    wait_for(lambda: hub.get("/api/health")["queue_depth"] == 0, 30, "the hub to catch up")
    summary = hub.get("/api/summary")
    assert hub.process.alive()
    assert (summary["power_w"], summary["devices_total"]) == (60.0, 1)
    # energy only grows by what the light used meanwhile (60 W, a few seconds)
    assert energy_before <= summary["energy_today_wh"] < energy_before + 1.0


def test_a_sped_up_hub_on_a_log_carries_on_from_its_last_simulated_time(tmp_path):
    """`--speed` after a sped-up run: the clock resumes where the log's counters stop
    (built in process, not run: the part a restart at SPEED=1440 goes through)."""
    ahead = time.time() + 30 * 86400  # a month of demo time ahead of the real clock
    store = Store.open(db_path(tmp_path))
    store.write(Batch(counters=[CounterPosition("kettle", ahead, 12.5, 7)]))
    store.close()
    settings = HubSettings(
        MqttSettings(BrokerAddress("127.0.0.1", 1)),
        Topics(),
        parse_config(configs.home_toml("Sped-up home")),
        tmp_path,
        http_port=0,
        speed=1440.0,
    )
    hub = HubProcess(settings)
    try:
        assert hub.clock.speed == 1440.0
        assert hub.clock.now(time.time()) == pytest.approx(ahead, abs=60 * 1440)
    finally:
        hub.store.close()


def test_the_resumed_clock_never_runs_behind_real_time_and_is_real_time_without_speed():
    behind = [CounterPosition("kettle", 1_000.0, 1.0, 1)]
    assert resumed_clock(600.0, 5_000.0, behind).now(5_000.0) == 5_000.0
    assert resumed_clock(600.0, 5_000.0, []).now(5_000.0) == 5_000.0
    real = resumed_clock(None, 5_000.0, [CounterPosition("kettle", 9_000.0, 1.0, 1)])
    assert (real.speed, real.now(5_000.0)) == (1.0, 5_000.0)
