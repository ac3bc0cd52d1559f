"""The flexible appliances on the dashboard, in Chromium against real device processes: a
battery's and a car charger's line says what the API says, and the car's mode and target and
a water heater's boost are set from the page and reach the device."""

import pytest
from live_home import Watched, start_live_home

from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def device(home, device_id: str) -> dict:
    return home.get(f"/api/devices/{device_id}")


def battery_line(d: dict) -> str:
    flow = (
        f"delivering {d['discharge_w']:.0f} W" if d["discharge_w"] > 0
        else f"charging {d['power_w']:.0f} W" if d["power_w"] > 0 else "idle"
    )  # fmt: skip
    return f"{round(d['soc_pct'])} % full · {flow} · {d['mode']}"


def test_battery_car_and_boost_are_shown_and_driven_from_the_page(browser, procs, tmp_path):
    home = start_live_home(procs, tmp_path)
    home.device("battery", "home-battery", "--param", "mode=hold")
    home.device("ev_charger", "driveway-ev")
    home.device("water_heater", "hot-water")
    home.wait_devices(3)
    watched = Watched(browser, home.url)
    wait_for(lambda: device(home, "home-battery").get("soc_pct") is not None, 15, "the battery")
    watched.shows({"flex-home-battery": battery_line(device(home, "home-battery"))})
    assert watched.text("flex-driveway-ev").startswith("no car")

    watched.testid("switch-driveway-ev").check()  # a car plugged in, charging now
    wait_for(lambda: device(home, "driveway-ev").get("plugged"), 15, "the car")
    watched.testid("mode-driveway-ev").select_option("pv")
    wait_for(lambda: device(home, "driveway-ev")["mode"] == "pv", 15, "mode pv at the device")
    watched.testid("target-driveway-ev").fill("80")
    watched.testid("target-driveway-ev").dispatch_event("change")
    car = wait_for(
        lambda: (d := device(home, "driveway-ev"))["target_soc"] == 80 and d, 15, "the target"
    )
    assert car["phase"] == "waiting" and car["power_w"] == 0  # pv without a surplus waits
    line = watched.text("flex-driveway-ev")
    assert line.startswith(f"car {round(car['soc_pct'])} % → 80 %") and line.endswith("· pv")

    assert watched.text("boost-hot-water") == "Boost"
    watched.testid("boost-hot-water").click()
    wait_for(lambda: device(home, "hot-water")["phase"] == "boost", 15, "the boost")
    watched.shows({"boost-hot-water": "End boost"})
    assert device(home, "hot-water")["flexible"] == ["boost"]
    assert watched.testid("boost-driveway-ev").is_hidden()
    assert watched.problems == []
