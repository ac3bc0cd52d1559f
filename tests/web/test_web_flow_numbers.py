"""The power flow's split (flowNumbers in web/static/flow.js), run in the system Chromium.

Each summary is built as contract 1.1 defines it: `load_w` is the appliances
plus storage charging, `battery_w` storage netted (positive charging), and
`power_w` = load - generation - discharge split into import and export. Every
flow must be >= 0 and every node must be the sum of its flows.
"""

import pytest

pytestmark = [pytest.mark.browser]

FLOWS = """async (summary) => {
  const { flowNumbers } = await import("/flow.js");
  return flowNumbers(summary);
}"""

SOLAR_OUT = ("solarHome", "solarBattery", "solarGrid")
HOME_IN = ("solarHome", "batteryHome", "gridHome")
EXACT = 1e-9


def summary(solar: float, appliances: float, battery_w: float, soc: float | None) -> dict:
    charge, discharge = max(0.0, battery_w), max(0.0, -battery_w)
    load = round(appliances + charge, 2)
    net = round(load - solar - discharge, 2)
    return {"generation_w": solar, "load_w": load, "battery_w": battery_w,
            "battery_soc_pct": soc, "power_w": net,
            "import_w": max(0.0, net), "export_w": max(0.0, -net)}  # fmt: skip


def flows(page, given: dict) -> dict:
    flow = page.evaluate(FLOWS, given)
    assert all(flow[name] >= 0 for name in (*SOLAR_OUT, *HOME_IN, "batteryGrid", "gridBattery"))
    assert abs(sum(flow[name] for name in SOLAR_OUT) - flow["solar"]) < EXACT
    assert abs(sum(flow[name] for name in HOME_IN) - flow["home"]) < EXACT
    assert abs(flow["solarBattery"] + flow["gridBattery"] - flow["charge"]) < EXACT
    assert abs(flow["batteryHome"] + flow["batteryGrid"] - flow["discharge"]) < EXACT
    # the grid's flows are what the summary says goes in and out at the meter
    assert abs(flow["gridHome"] + flow["gridBattery"] - given["import_w"]) < 0.011
    assert abs(flow["solarGrid"] + flow["batteryGrid"] - given["export_w"]) < 0.011
    return flow


def split(flow: dict) -> dict:
    names = (*SOLAR_OUT, "batteryHome", "batteryGrid", "gridHome", "gridBattery")
    return {name: round(flow[name], 2) for name in names if flow[name]}


def test_midday_solar_feeds_the_home_then_the_battery_then_the_grid(static_page):
    flow = flows(static_page, summary(3000.0, 500.0, 2000.0, 40.0))
    assert (flow["home"], flow["charge"], flow["soc"], flow["hasBattery"]) == (500, 2000, 40, True)
    assert split(flow) == {"solarHome": 500, "solarBattery": 2000, "solarGrid": 500}


def test_a_charge_beyond_the_surplus_comes_from_the_grid(static_page):
    flow = flows(static_page, summary(1000.0, 400.0, 2500.0, 20.0))
    assert split(flow) == {"solarHome": 400, "solarBattery": 600, "gridBattery": 1900}


def test_at_night_the_discharge_feeds_the_home_and_the_grid_the_rest(static_page):
    flow = flows(static_page, summary(0.0, 800.0, -600.0, 70.0))
    assert split(flow) == {"batteryHome": 600, "gridHome": 200}


def test_a_forced_discharge_beyond_the_load_is_exported_by_the_battery_not_the_panels(
    static_page,
):
    # the bug of issue 16: "Solar -> home -306 W" at night
    flow = flows(static_page, summary(0.0, 400.0, -706.0, 55.0))
    assert split(flow) == {"batteryHome": 400, "batteryGrid": 306}
    assert flow["solarHome"] == 0 and flow["solarGrid"] == 0


def test_solar_comes_first_then_the_battery_then_the_grid(static_page):
    flow = flows(static_page, summary(300.0, 1000.0, -500.0, 60.0))
    assert split(flow) == {"solarHome": 300, "batteryHome": 500, "gridHome": 200}


def test_without_a_battery_the_split_is_solar_less_export_and_import(static_page):
    exporting = flows(static_page, summary(2000.0, 500.0, 0.0, None))
    assert exporting["hasBattery"] is False and exporting["soc"] is None
    assert split(exporting) == {"solarHome": 500, "solarGrid": 1500}
    importing = flows(static_page, summary(2000.0, 2500.0, 0.0, None))
    assert split(importing) == {"solarHome": 2000, "gridHome": 500}
    # a 1.0 summary has no battery fields at all
    old = flows(static_page, {"generation_w": 0, "load_w": 300, "import_w": 300, "export_w": 0})
    assert old["hasBattery"] is False and split(old) == {"gridHome": 300}


def test_figures_rounded_to_the_hundredth_still_add_up(static_page):
    awkward = [(1234.56, 789.01, 321.12), (0.01, 0.02, -0.03), (4000.0, 0.0, 2600.0),
               (12.34, 987.65, -433.33)]  # fmt: skip
    for solar, appliances, battery_w in awkward:
        flows(static_page, summary(solar, appliances, battery_w, 50.0))
