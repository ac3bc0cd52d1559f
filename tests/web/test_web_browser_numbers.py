"""The numbers the dashboard shows, read off the page in Chromium, for devices of known power.

Solar makes 2,000 W and a heater draws 500 W, published on the real broker as
mosquitto_pub would: the header, the power flow and the live chart must all
say that the home uses 500 W and exports 1.50 kW, and the chart's net line
must be its stack's sum at every point.
"""

import pytest
from live_home import ARTIFACTS, FixedDevice, Watched, solar_and_heater

from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]


EXPORTING = {
    "summary-power": "500 W",
    "summary-grid": "exporting 1.50 kW",
    "flow-solar": "2.00 kW",
    "flow-home": "500 W",
    "flow-grid": "1.50 kW",
    "flow-grid-dir": "exporting",
    "flow-self": "500 W (25%)",
    "flow-export": "1.50 kW",
    "flow-from-grid": "0 W",
}

CHART = """() => {
  const chart = document.getElementById("live-chart");
  if (!chart.data) return null; // Plotly is still on its way (it loads after the numbers)
  const [net, ...devices] = chart.data;
  const stack = new Map();
  for (const trace of devices) {
    trace.x.forEach((x, i) => stack.set(x, (stack.get(x) || 0) + trace.y[i]));
  }
  return {
    netName: net.name,
    points: net.x.map((x, i) => [net.y[i], stack.get(x) ?? null]),
    latest: Object.fromEntries(devices.map((t) => [t.name, t.y[t.y.length - 1]])),
    yRange: chart._fullLayout.yaxis.range,
    limitLines: (chart.layout.shapes || []).map((shape) => shape.y0),
    notes: (chart.layout.annotations || []).map((note) => note.text),
  };
}"""


@pytest.fixture
def home(procs, tmp_path):
    """The live home (its total-power limit is 2,000 W) with solar and a heater."""
    with solar_and_heater(procs, tmp_path, 2000.0, 500.0) as home:
        yield home


def chart(watched: Watched) -> dict:
    return wait_for(lambda: watched.page.evaluate(CHART), 20, "the live chart")


def chart_with_frames(watched: Watched, count: int) -> dict:
    return wait_for(
        lambda: (drawn := chart(watched))["points"][count - 1 :] and drawn,
        20,
        f"{count} frames on the live chart",
    )


def assert_net_is_the_stack(drawn: dict) -> None:
    assert drawn["netName"] == "Net (grid)"
    for net, stack in drawn["points"]:
        assert stack is not None and abs(net - stack) < 0.05, drawn["points"]


def test_header_flow_and_chart_agree_on_where_the_power_goes(browser, home):
    watched = Watched(browser, home.url)
    watched.shows(EXPORTING)
    assert watched.testid("flow-battery-node").is_hidden(), "no storage, no battery node"
    assert watched.testid("flow-to-battery").is_hidden()
    drawn = chart_with_frames(watched, 3)
    assert_net_is_the_stack(drawn)
    assert drawn["latest"] == {"Heater": 500, "Roof (generating)": -2000}  # solar below zero
    assert drawn["points"][-1][0] == -1500
    low, high = drawn["yRange"]
    assert low <= -2000 and 500 <= high < 1000, "the y axis fits the data, not the limit"
    assert drawn["limitLines"] == [] and drawn["notes"] == ["limit 2.00 kW above ↑"]

    home.heater.draw(2500.0)  # now the home imports what solar cannot cover
    watched.shows({
        "summary-power": "2.50 kW", "summary-grid": "importing 500 W",
        "flow-home": "2.50 kW", "flow-grid": "500 W", "flow-grid-dir": "importing",
        "flow-self": "2.00 kW (100%)", "flow-export": "0 W", "flow-from-grid": "500 W",
    })  # fmt: skip
    drawn = wait_for(
        lambda: (drawn := chart(watched))["limitLines"] and drawn,
        15,
        "the limit line, now that the load is near it",
    )
    assert drawn["limitLines"] == [2000] and drawn["notes"] == ["limit 2.00 kW"]
    drawn = chart_with_frames(watched, len(drawn["points"]) + 2)
    assert_net_is_the_stack(drawn)
    assert drawn["points"][-1][0] == 500
    assert watched.problems == []


TODAY_BARS = """() => {
  const [bars] = document.getElementById("today-chart").data || [];
  return bars ? Object.fromEntries(bars.y.map((key, i) => [key, bars.x[i]])) : {};
}"""


def test_the_days_energy_reads_the_same_in_the_bars_the_cards_the_header_and_the_flow(
    browser, home
):
    home.solar.draw(2000.0, used_wh=10.0)  # the counters move on: 10 Wh made, 4 Wh used
    home.heater.draw(500.0, used_wh=4.0)
    wait_for(
        lambda: (
            (s := home.get("/api/summary"))["generation_today_wh"] == 10
            and s["energy_today_wh"] == 4
        ),
        15,
        "the hub to count the day's energy",
    )
    watched = Watched(browser, home.url)
    watched.shows({
        "summary-energy": "4 Wh", "flow-produced-today": "10 Wh",
        "today-heater": "Today 4 Wh · £0.00", "today-roof": "Today 10 Wh · £0.00",
    })  # fmt: skip
    bars = wait_for(lambda: watched.page.evaluate(TODAY_BARS), 15, "the today bars")
    assert bars == {"heater": 4, "roof": 10}  # and no "unaccounted" remainder
    assert watched.problems == []


def test_the_legend_stays_clear_of_the_mode_bar(browser, home):
    for n in range(12):  # enough names for the legend to fill the chart's width
        FixedDevice(home.probe, f"appliance-with-a-long-name-{n}", "consumer", 10.0)
    home.wait_devices(14)
    watched = Watched(browser, home.url)
    chart_with_frames(watched, 1)
    assert watched.page.evaluate("() => document.getElementById('live-chart').data.length") == 15, (
        "every device has its trace and legend entry"
    )
    watched.page.hover('[data-testid="live-chart"] .nsewdrag')  # the mode bar shows on hover
    bar = watched.page.locator('[data-testid="live-chart"] .modebar')
    bar.wait_for()
    legend = watched.page.locator('[data-testid="live-chart"] .legend').bounding_box()
    box = bar.bounding_box()
    apart = (
        legend["x"] + legend["width"] <= box["x"]
        or box["x"] + box["width"] <= legend["x"]
        or legend["y"] + legend["height"] <= box["y"]
        or box["y"] + box["height"] <= legend["y"]
    )
    assert apart, f"legend {legend} overlaps the mode bar {box}"


def test_a_phone_sized_screen_shows_the_same_numbers_without_scrolling_sideways(browser, home):
    watched = Watched(browser, home.url, width=390, height=844)
    watched.shows(EXPORTING)
    width = watched.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    assert_net_is_the_stack(chart_with_frames(watched, 2))
    ARTIFACTS.mkdir(exist_ok=True)  # to look at, when a run fails
    watched.page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    assert watched.problems == []
