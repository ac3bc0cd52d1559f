"""The energy view in the system Chromium, against a live hub fed known counters over MQTT."""

import time

import pytest
from live_home import ARTIFACTS, Watched, start_live_home

from protocol import Meta, State
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]

STEP_WH = 250.0  # per state: a counter step the hub finds plausible however soon it comes


def announce(probe, device_id, role, kind):
    meta = Meta(
        id=device_id, name=device_id.capitalize(), kind=kind, role=role, rated_w=3000.0,
        standby_w=0.0, dimmable=False, interval_s=60.0, priority=3, sw="test",
    )  # fmt: skip
    probe.publish(f"home/{device_id}/meta", meta.to_payload(), retain=True)
    probe.publish(f"home/{device_id}/availability", "online", retain=True)


def state(probe, device_id, seq, energy_wh, power_w):
    reading = State(ts=time.time(), seq=seq, on=True, power_w=power_w, energy_wh=energy_wh,
                    phase="on")  # fmt: skip
    probe.publish(f"home/{device_id}/state", reading.to_payload())


@pytest.fixture
def sunny_home(procs, tmp_path):
    """A roof making 2,000 Wh and a kettle using 500 Wh, all within one minute."""
    home = start_live_home(procs, tmp_path)
    probe = MqttProbe(home.broker).connected()
    try:
        # the hub nets production against consumption per minute: stay inside one
        wait_for(lambda: time.time() % 60 < 30, 35, "the first half of a minute")
        announce(probe, "roof", "producer", "solar")
        announce(probe, "kettle", "consumer", "kettle")
        for seq in range(9):
            state(probe, "roof", seq + 1, STEP_WH * seq, 2000.0)
            if seq <= 2:
                state(probe, "kettle", seq + 1, STEP_WH * seq, 500.0)
        wait_for(
            lambda: home.get("/api/energy")["totals"]["generation_wh"] == 2000.0,
            20,
            "the hub to log the roof's 2,000 Wh",
        )
    finally:
        probe.close()
    return home


def test_the_energy_view_shows_what_the_counters_say(browser, sunny_home):
    watched = Watched(browser, sunny_home.url)
    sufficiency = watched.testid("energy-self-sufficiency")
    wait_for(lambda: sufficiency.inner_text() == "100 %", 15, "self-sufficiency on the page")
    assert watched.testid("energy-self-consumption").inner_text() == "25 %"
    assert watched.testid("energy-consumption").inner_text() == "500 Wh"
    assert watched.testid("energy-generation").inner_text() == "2.00 kWh"
    assert watched.testid("energy-export").inner_text() == "1.50 kWh"
    assert watched.testid("energy-import").inner_text() == "0 Wh"
    kettle = watched.testid("energy-device-kettle").locator("td")
    assert kettle.all_inner_texts() == ["Kettle", "500 Wh", "500 Wh", "£0.13"]
    roof = watched.testid("energy-device-roof").locator("td")
    # a producer has no sources (an en dash); no export rate in this home, so the roof's
    # credit is -0.0, which must not read "-£0.00"
    assert roof.all_inner_texts() == ["Roof (generated)", "2.00 kWh", "\u2013", "£0.00"]
    # the charts are drawn once Plotly has arrived, after the numbers
    watched.page.wait_for_function(
        "() => document.querySelector('[data-testid=\"energy-sankey\"]').data?.length > 0"
    )
    sankey = watched.page.evaluate(
        """() => {
            const trace = document.querySelector('[data-testid="energy-sankey"]').data[0];
            return {labels: trace.node.label, values: trace.link.value};
        }"""
    )
    assert sankey == {"labels": ["Solar", "Kettle", "Exported"], "values": [500, 1500]}
    watched.testid("energy-compare").check()
    before = watched.page.locator("#energy-consumption-before")
    wait_for(lambda: before.inner_text() == "previous 0 Wh", 10, "the previous day's figure")
    watched.page.get_by_label("Year").check()
    label = watched.testid("energy-label")
    wait_for(lambda: label.inner_text() == time.strftime("%Y"), 10, "the year view")
    assert watched.testid("energy-export").inner_text() == "1.50 kWh"
    assert watched.testid("energy-next").is_disabled()
    watched.testid("energy-previous").click()
    last_year = str(int(time.strftime("%Y")) - 1)
    wait_for(lambda: label.inner_text() == last_year, 10, "last year's view")
    assert watched.testid("energy-export").inner_text() == "0 Wh"
    watched.testid("energy-next").click()
    wait_for(lambda: label.inner_text() == time.strftime("%Y"), 10, "this year's view again")
    assert watched.testid("energy-export").inner_text() == "1.50 kWh"
    ARTIFACTS.mkdir(exist_ok=True)
    panel = watched.testid("energy-panel")
    panel.screenshot(path=str(ARTIFACTS / "energy.png"))
    watched.page.set_viewport_size({"width": 390, "height": 844})
    fits = """() => document.documentElement.scrollWidth <= 390 && [...document.querySelectorAll(
        '[data-testid="energy-panel"] .main-svg, [data-testid="energy-sankey"] .sankey-node')
    ].every((part) => part.getBoundingClientRect().right <= 390)"""
    wait_for(lambda: watched.page.evaluate(fits), 5, "the page and its charts to fit a phone")
    panel.screenshot(path=str(ARTIFACTS / "energy-phone.png"))
    assert watched.problems == []
