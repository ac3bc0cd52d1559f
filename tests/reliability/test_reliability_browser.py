"""The dashboard across a hub restart, and alert messages carrying HTML, in Chromium."""

from __future__ import annotations

import signal

import pytest
from reliability_support import write_config

from protocol import State
from testkit.brokers import BrokerEndpoint, anonymous_broker
from testkit.devices import start_device
from testkit.hub import Hub
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.browser]

XSS_NAME = "<img src=x onerror=alert(1)>"


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    connection = page.get_by_test_id("connection")
    connection.filter(has_text="connected").wait_for(timeout=15000)
    return page, connection, dialogs


def test_the_connection_indicator_recovers_after_a_hub_restart_without_a_reload(
    browser, procs, tmp_path
):
    broker = anonymous_broker(procs, "embedded")
    config = write_config(tmp_path)
    hub = Hub(procs, broker.endpoint, tmp_path / "data", config)
    start_device(procs, broker.endpoint, "light", "hall")
    wait_for(lambda: hub.get("/api/summary")["devices_online"] == 1, 20, "the hall light")
    page, connection, _ = open_page(browser, hub.url + "/")
    page.evaluate("() => { window.__sameDocument = true }")
    assert connection.inner_text().strip() == "connected"

    power = page.get_by_test_id("power-hall")
    assert power.inner_text() == "0 W"

    hub.process.send_signal(signal.SIGKILL)
    hub.process.wait_exit()
    wait_for(lambda: connection.inner_text().strip() != "connected", 15, "the page to notice")
    assert "reconnecting" in connection.inner_text()
    lit = switch_on_behind_the_hubs_back(broker.endpoint, "hall")
    Hub(procs, broker.endpoint, tmp_path / "data", config, http_port=hub.http_port)
    connection.filter(has_text="connected").wait_for(timeout=30000)
    wait_for(lambda: connection.inner_text().strip() == "connected", 30, "connected again")
    # the same document: it recovered by itself, not through a reload
    assert page.evaluate("() => window.__sameDocument === true")
    # and its card shows what the light did while the hub was away
    wait_for(lambda: power.inner_text() == f"{int(lit + 0.5)} W", 15, "the card to follow")
    assert page.get_by_test_id("status-hall").inner_text() == "online"
    page.close()


def switch_on_behind_the_hubs_back(broker: BrokerEndpoint, device_id: str) -> float:
    """Turn a device on straight through MQTT, as mosquitto_pub would; the power it reports."""
    probe = MqttProbe(broker).connected()
    try:
        probe.subscribe(f"home/{device_id}/state")
        probe.publish(f"home/{device_id}/set", "ON")
        states = wait_for(
            lambda: [s for m in probe.received(f"home/{device_id}/state")
                     if (s := State.from_payload(m.payload)).on and s.power_w > 0],
            10,
            f"{device_id} on",
        )  # fmt: skip
        return states[-1].power_w
    finally:
        probe.close()


def test_an_alert_message_with_html_in_it_shows_as_text(browser, procs, tmp_path):
    broker = anonymous_broker(procs, "embedded")
    hub = Hub(procs, broker.endpoint, tmp_path / "data", write_config(tmp_path))
    victim = start_device(procs, broker.endpoint, "tv", "xss", "--name", XSS_NAME)
    wait_for(lambda: hub.get("/api/summary")["devices_online"] == 1, 20, "the device")
    page, _, dialogs = open_page(browser, hub.url + "/")
    assert victim.stop() == 0  # says offline: the hub raises device-offline, name in the message
    alert = wait_for(
        lambda: [a for a in hub.get("/api/alerts")["open"] if a["rule"] == "device-offline"],
        15,
        "the device-offline alert",
    )[0]
    assert XSS_NAME in alert["message"]
    panel = page.get_by_test_id("alerts-panel")
    panel.get_by_text(XSS_NAME, exact=False).first.wait_for(timeout=15000)
    assert panel.locator("img").count() == 0
    assert dialogs == []
    page.close()
