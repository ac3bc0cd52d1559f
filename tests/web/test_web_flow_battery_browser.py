"""The power flow with a home battery, read off the page in Chromium, for devices of known power.

Solar, a heater and a battery (role `storage`) publish set powers on the real
broker as mosquitto_pub would. The page must show the battery's node only
once the home has one, every flow >= 0, the lines lit that carry power, and
numbers that add up: solar = its three flows, home = its three sources, the
battery's power = what goes in or out of it, and the grid's figure (import or
export, from the summary) = the flows across it.
"""

import re

import pytest
from live_home import FixedBattery, Watched, solar_and_heater

pytestmark = [pytest.mark.integration, pytest.mark.browser]

BATTERY_PARTS = ("flow-battery-node", "flow-to-battery", "flow-from-battery",
                 "flow-grid-to-battery", "flow-battery-export")  # fmt: skip

ACTIVE_LINES = """() => [...document.querySelectorAll("#flow .flow-line.active")]
    .map((line) => line.id).sort()"""


@pytest.fixture
def home(procs, tmp_path):
    """The live home with solar and a heater; a test adds the battery."""
    with solar_and_heater(procs, tmp_path, 0.0, 0.0) as home:
        yield home


def watts(text: str) -> int:
    """A power as the page writes it ("2.00 kW", "500 W (17%)") in W."""
    match = re.match(r"(-?[\d.]+) (k?)W\b", text)
    assert match, text
    return round(float(match[1]) * (1000 if match[2] else 1))


def assert_adds_up(watched: Watched) -> None:
    """Every node of the picture is the sum of its flows, as the page shows them."""
    shown = {name: watts(watched.text(name)) for name in (
        "flow-solar", "flow-home", "flow-grid", "flow-battery", "flow-self", "flow-export",
        "flow-from-grid", "flow-to-battery", "flow-from-battery", "flow-grid-to-battery",
        "flow-battery-export")}  # fmt: skip
    assert all(value >= 0 for value in shown.values()), shown
    solar_out = shown["flow-self"] + shown["flow-to-battery"] + shown["flow-export"]
    home_in = shown["flow-self"] + shown["flow-from-battery"] + shown["flow-from-grid"]
    assert shown["flow-solar"] == solar_out, shown
    assert shown["flow-home"] == home_in, shown
    exporting = watched.text("flow-grid-dir") == "exporting"
    grid = (shown["flow-export"] + shown["flow-battery-export"] if exporting
            else shown["flow-from-grid"] + shown["flow-grid-to-battery"])  # fmt: skip
    assert shown["flow-grid"] == grid, shown
    charging = watched.text("flow-battery-dir") == "charging"
    battery = (shown["flow-to-battery"] + shown["flow-grid-to-battery"] if charging
               else shown["flow-from-battery"] + shown["flow-battery-export"])  # fmt: skip
    assert shown["flow-battery"] == battery, shown


def test_at_midday_the_battery_charges_from_the_solar_the_home_leaves(browser, home):
    home.solar.draw(3000.0)
    home.heater.draw(500.0)
    watched = Watched(browser, home.url)
    watched.shows({"flow-solar": "3.00 kW", "flow-home": "500 W", "flow-export": "2.50 kW"})
    assert all(watched.testid(part).is_hidden() for part in BATTERY_PARTS), "no battery yet"

    battery = FixedBattery(home.probe, "home-battery")
    battery.flow(2000.0, soc_pct=40.0)
    watched.shows({
        "flow-solar": "3.00 kW", "flow-home": "500 W", "flow-battery": "2.00 kW",
        "summary-power": "500 W",  # the header's "Home uses now" agrees: not the charging
        "flow-battery-soc": "40 %",
        "flow-battery-dir": "charging", "flow-grid": "500 W", "flow-grid-dir": "exporting",
        "flow-self": "500 W (17%)", "flow-to-battery": "2.00 kW", "flow-export": "500 W",
        "flow-from-grid": "0 W", "flow-from-battery": "0 W", "flow-grid-to-battery": "0 W",
        "flow-battery-export": "0 W",
    })  # fmt: skip
    assert all(watched.testid(part).is_visible() for part in BATTERY_PARTS)
    assert watched.page.evaluate(ACTIVE_LINES) == [
        "flow-solar-battery", "flow-solar-grid", "flow-solar-home"]  # fmt: skip
    assert_adds_up(watched)

    battery.flow(2600.0, soc_pct=41.0)  # more than the surplus: the grid makes up the rest
    watched.shows({
        "flow-home": "500 W", "flow-battery": "2.60 kW", "flow-grid": "100 W",
        "flow-grid-dir": "importing", "flow-self": "500 W (17%)", "flow-to-battery": "2.50 kW",
        "flow-grid-to-battery": "100 W", "flow-export": "0 W", "flow-from-grid": "0 W",
    })  # fmt: skip
    assert watched.page.evaluate(ACTIVE_LINES) == [
        "flow-grid-battery", "flow-solar-battery", "flow-solar-home"]  # fmt: skip
    assert_adds_up(watched)
    assert watched.problems == []


def test_at_night_the_battery_feeds_the_home_and_a_forced_discharge_exports(browser, home):
    home.heater.draw(800.0)
    battery = FixedBattery(home.probe, "home-battery")
    battery.flow(-600.0, soc_pct=70.0)
    watched = Watched(browser, home.url)
    watched.shows({
        "flow-solar": "0 W", "flow-home": "800 W", "flow-battery": "600 W",
        "flow-battery-soc": "70 %",
        "flow-battery-dir": "discharging", "flow-grid": "200 W",
        "flow-grid-dir": "importing", "flow-self": "0 W", "flow-from-battery": "600 W",
        "flow-from-grid": "200 W", "flow-export": "0 W", "flow-to-battery": "0 W",
        "flow-battery-export": "0 W",
    })  # fmt: skip
    assert watched.page.evaluate(ACTIVE_LINES) == ["flow-battery-home", "flow-grid-home"]
    assert_adds_up(watched)

    battery.flow(-1200.0, soc_pct=69.0)  # more than the home draws: issue 16's "-306 W"
    watched.shows({
        "flow-home": "800 W", "flow-battery": "1.20 kW", "flow-grid": "400 W",
        "flow-grid-dir": "exporting", "flow-self": "0 W", "flow-export": "0 W",
        "flow-from-battery": "800 W", "flow-battery-export": "400 W", "flow-from-grid": "0 W",
    })  # fmt: skip
    assert watched.page.evaluate(ACTIVE_LINES) == ["flow-battery-grid", "flow-battery-home"]
    assert_adds_up(watched)
    assert watched.problems == []
