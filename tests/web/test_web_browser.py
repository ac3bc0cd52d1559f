"""The dashboard in the system Chromium, driven by Playwright against a live home."""

import pytest
from live_home import ARTIFACTS, Watched, start_live_home

from protocol import State
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]

XSS_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture
def home(procs, tmp_path):
    home = start_live_home(procs, tmp_path)
    home.device("light", "hall")
    home.device("kettle", "kettle", "--param", "boil_s=600")
    home.device("tv", "xss", "--name", XSS_NAME)
    home.wait_devices(3)
    return home


def test_the_dashboard_loads_cleanly_and_renders_names_as_text(browser, home):
    watched = Watched(browser, home.url)
    name = watched.testid("device-name-xss")
    name.wait_for()
    assert name.inner_text() == XSS_NAME
    assert watched.page.locator("img[src=x]").count() == 0
    watched.testid("live-chart").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert watched.problems == []
    assert watched.dialogs == []


def test_the_live_chart_gains_points(browser, home):
    watched = Watched(browser, home.url)
    count_points = """() => {
        const plot = document.querySelector('[data-testid="live-chart"] .js-plotly-plot')
            || document.querySelector('[data-testid="live-chart"]');
        return (plot.data || []).reduce((n, trace) => n + (trace.x ? trace.x.length : 0), 0);
    }"""
    first = wait_for(lambda: watched.page.evaluate(count_points), 15, "points on the chart")
    wait_for(lambda: watched.page.evaluate(count_points) > first, 15, "more points")
    assert watched.problems == []


def test_the_switch_turns_the_real_device_on_and_the_card_follows(browser, home):
    probe = MqttProbe(home.broker).connected()
    probe.subscribe("home/hall/state")
    try:
        watched = Watched(browser, home.url)
        assert watched.text("power-hall") == "0 W"
        switch = watched.testid("switch-hall")
        switch.click()
        on = wait_for(
            lambda: [s for m in probe.received("home/hall/state")
                     if (s := State.from_payload(m.payload)).on and s.power_w > 0],
            10,
            "hall on and lit",
        )[-1]  # fmt: skip
        # the card shows the power the device reported, and its switch says on
        watched.shows({"power-hall": f"{int(on.power_w + 0.5)} W", "status-hall": "online"})
        assert switch.is_checked()
        result = watched.testid("result-hall")
        wait_for(lambda: "done" in result.inner_text(), 10, "the command's result")
        switch.click()
        wait_for(
            lambda: not State.from_payload(probe.received("home/hall/state")[-1].payload).on,
            10,
            "hall off again",
        )
        watched.shows({"power-hall": "0 W"})
        assert not switch.is_checked()
        assert watched.problems == []
    finally:
        probe.close()


def test_lowering_the_threshold_raises_an_alert_in_the_panel(browser, home):
    watched = Watched(browser, home.url)
    watched.page.evaluate(
        "() => fetch('/api/devices/xss/command', {method: 'POST', "
        "headers: {'Content-Type': 'application/json'}, "
        "body: JSON.stringify({on: true})})"
    )
    above = watched.testid("threshold-above-0")
    above.fill("5")
    watched.testid("save-thresholds").click()
    panel = watched.testid("alerts-panel")
    panel.get_by_text("total-power", exact=False).or_(
        panel.get_by_text("Home draws")
    ).first.wait_for(timeout=20000)
    alert = panel.locator("#alerts-open .alert").first
    alert.get_by_role("button", name="Acknowledge").click()
    wait_for(
        lambda: alert.locator(".alert-state").inner_text() == "acknowledged",
        10,
        "the alert acknowledged in the panel",
    )
    assert alert.get_by_role("button", name="Acknowledge").is_hidden()
    assert watched.problems == []


LIVE_TRACES = """() => (document.getElementById("live-chart").data || [])
    .map((trace) => trace.name)"""


def test_a_device_that_joins_later_gets_its_card_and_its_trace(browser, home):
    watched = Watched(browser, home.url)
    wait_for(lambda: len(watched.page.evaluate(LIVE_TRACES)) == 4, 20, "the live chart's traces")
    home.device("light", "porch")
    name = watched.testid("device-name-porch")
    name.wait_for(timeout=20000)
    wait_for(
        lambda: name.inner_text() in watched.page.evaluate(LIVE_TRACES),
        15,
        "the porch light's trace on the live chart",
    )
    assert watched.testid("device-card-porch").locator(".power").inner_text().endswith(" W")
    assert watched.problems == []


def test_a_command_refused_for_want_of_the_token_asks_for_it_and_goes_through(
    browser, procs, tmp_path
):
    home = start_live_home(procs, tmp_path, "--auth-token", "s3cret")
    home.device("light", "hall")
    home.wait_devices(1)
    watched = Watched(browser, home.url, answer="s3cret")
    watched.testid("switch-hall").click()  # acknowledged with the code token_required
    result = watched.testid("result-hall")
    wait_for(lambda: "done" in result.inner_text(), 15, "the command, sent again with the token")
    assert len(watched.dialogs) == 1 and "token is needed" in watched.dialogs[0]
    assert watched.problems == []
