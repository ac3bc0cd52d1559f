"""The numbers come first: the page shows them without Plotly, and draws once Plotly is here.

Playwright holds back or refuses the Plotly bundle (`page.route`), in a new
browser context each (nothing cached), against a live home whose one lamp
draws a known 60 W.
"""

import json

import pytest
from live_home import start_live_home

from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]

PLOTLY = "**/vendor/plotly.min.js*"
CHARTS = ("live-chart", "today-chart", "history-chart")


@pytest.fixture
def home(procs, tmp_path):
    home = start_live_home(procs, tmp_path)
    home.device("light", "lamp", "--param", "rated_w=60")
    home.wait_devices(1)
    status, reply = home.hub.request(
        "POST", "/api/devices/lamp/command", json.dumps({"on": True, "level": 100}).encode()
    )
    assert status == 200, reply
    wait_for(lambda: home.get("/api/summary")["power_w"] == 60, 15, "the lamp at 60 W")
    return home


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def shown_numbers(page) -> tuple[str, str]:
    """The header's power and the lamp card's, once the first snapshot is on the page."""
    power = page.get_by_test_id("summary-power")
    wait_for(lambda: any(c.isdigit() for c in power.inner_text()), 15, "the header's power")
    card = page.get_by_test_id("device-card-lamp").locator(".power")
    card.wait_for()
    return power.inner_text(), card.inner_text()


def drawn(page, chart: str) -> bool:
    return page.locator(f"#{chart} .main-svg").count() > 0


def lamp_frames(page, frames: list[str]) -> list[float]:
    """The times of the Socket.IO `summary` events with the lamp among `frames`: the live
    chart's frames (every device's power at one instant).

    A call into the page first: Playwright's sync API delivers events (the
    frames) only while it is called.
    """
    page.evaluate("0")
    times = []
    for frame in frames:
        if not frame.startswith('42["summary"'):
            continue
        _, summary = json.loads(frame[2:])
        if "lamp" in summary["device_power_w"]:
            times.append(summary["ts"])
    return times


def test_the_numbers_show_while_plotly_is_held_and_every_chart_follows_it(page, home):
    held = []
    page.route(PLOTLY, lambda route: held.append(route))
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame)))
    page.goto(home.url)
    assert shown_numbers(page) == ("60 W", "60 W")
    wait_for(lambda: held, 10, "the page asking for Plotly")
    seen = len(frames)

    def summaries_while_held() -> list[float] | None:
        found = lamp_frames(page, frames[seen:])
        return found if len(found) >= 2 else None

    early = wait_for(summaries_while_held, 15, "summaries while Plotly is held")
    assert not any(drawn(page, chart) for chart in CHARTS)
    held[0].continue_()
    for chart in CHARTS:
        wait_for(lambda chart=chart: drawn(page, chart), 30, f"the {chart} drawn")

    def all_plotted() -> bool:
        plotted = page.evaluate("""() => {
            const trace = document.getElementById("live-chart").data.find(t => t.name === "Lamp");
            return trace.x.map((x) => new Date(x).getTime() / 1000);
        }""")
        return all(any(abs(ts - x) < 0.002 for x in plotted) for ts in early)

    # The frames that came while the chart could not be drawn are on it (from its next
    # redraw, at most a second after the first).
    wait_for(all_plotted, 10, f"the frames at {early} on the live chart")
    assert page.get_by_test_id("summary-power").inner_text() == "60 W"
    assert page.errors == []


def test_the_numbers_stay_live_when_plotly_cannot_load(page, home):
    page.route(PLOTLY, lambda route: route.abort())
    page.goto(home.url)
    assert shown_numbers(page) == ("60 W", "60 W")
    for chart in CHARTS:
        element = page.get_by_test_id(chart)
        wait_for(lambda e=element: "could not be loaded" in e.inner_text(), 15, f"{chart}'s note")
    history = page.locator("#history-message")
    wait_for(lambda: "could not be loaded" in history.inner_text(), 15, "the history's message")
    # still live: the lamp turned down shows on the card and in the header
    status, reply = home.hub.request(
        "POST", "/api/devices/lamp/command", json.dumps({"level": 50}).encode()
    )
    assert status == 200, reply
    wait_for(lambda: shown_numbers(page) == ("30 W", "30 W"), 15, "the lamp at 30 W on the page")
    assert page.errors == []
