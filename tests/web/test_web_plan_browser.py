"""The energy manager's panel in Chromium, on a live home whose manager runs `plan` for a real
battery process on Economy 7: the costs and the actions it shows are GET /api/plan's, each
action's time on the home's clock (Tokyo) though the browser is in New York; the chart is
the plan's; a switch made on the page is the hub's, and a refused one is shown and undone."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from live_home import ARTIFACTS, Watched, start_live_home

from testkit import configs
from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]

SPEED = 60
"""The manager decides once a simulated minute: once a second here."""
HOME_ZONE = "Asia/Tokyo"
BROWSER_ZONE = "America/New_York"
CONFIG = (
    f'[home]\nname = "Test home"\ntimezone = "{HOME_ZONE}"\n'
    + configs.ECONOMY_7
    + '[manager]\nstrategy = "plan"\n'
)
SHOWN = """() => {
  const panel = document.getElementById("plan");
  const chart = document.getElementById("plan-chart");
  const item = document.querySelector("#plan-actions li");
  if (panel.hidden || !chart.data || !item) return null; // Plotly may still be on its way
  const text = (element, name) => element.querySelector(name).textContent.trim();
  return {
    made: Number(panel.dataset.made),
    expected: text(panel, "#plan-expected-cost"), baseline: text(panel, "#plan-baseline-cost"),
    actions: document.querySelectorAll("#plan-actions li").length,
    first: { at: text(item, ".plan-at"), device: text(item, ".plan-device"),
      command: text(item, ".plan-command"), why: text(item, ".plan-why") },
    traces: Object.fromEntries(chart.data.map((trace) => [trace.name,
      { y: trace.y, axis: trace.yaxis || "y" }])),
  };
}"""
CHECKED = """() => document.querySelector('#manager-strategies input:checked')?.value ?? null"""


def money(value: float) -> str:
    """As the page's formatMoney(value, "GBP") shows it in Chromium's en-US."""
    return f"{'-' if round(value, 2) < 0 else ''}£{abs(value):.2f}"


def home_clock(ts: float) -> str:
    return datetime.fromtimestamp(ts, ZoneInfo(HOME_ZONE)).strftime("%H:%M")


@pytest.fixture
def home(procs, tmp_path):
    home = start_live_home(procs, tmp_path, "--speed", str(SPEED), config_text=CONFIG)
    home.device("battery", "home-battery")

    def battery_planned() -> bool:
        status, plan = home.hub.request("GET", "/api/plan")
        return status == 200 and any(a["device"] == "home-battery" for a in plan["actions"])

    wait_for(battery_planned, 60, "a plan for the battery")
    return home


def shown_plan(home, watched: Watched) -> tuple[dict, dict]:
    """The plan the hub serves and what the page shows of it, read when both are the same
    plan (the hub makes a new one every 15 simulated minutes)."""

    def same() -> tuple[dict, dict] | None:
        shown = watched.page.evaluate(SHOWN)
        plan = home.get("/api/plan")
        return (plan, shown) if shown and shown["made"] == plan["made"] else None

    return wait_for(same, 30, "the page to show the plan the hub serves")


def test_the_panel_shows_the_plan_the_hub_serves_on_the_homes_clock(browser, home):
    watched = Watched(browser, home.url, timezone_id=BROWSER_ZONE)
    plan, shown = shown_plan(home, watched)
    assert shown["expected"] == money(plan["expected_cost"])
    assert shown["baseline"] == money(plan["baseline_cost"])
    first, action = shown["first"], plan["actions"][0]
    battery = next(d for d in home.get("/api/devices") if d["id"] == "home-battery")
    assert action["device"] == "home-battery" and first["device"] == battery["name"]
    assert first["at"] == home_clock(action["at"])  # made today: the time alone
    in_new_york = datetime.fromtimestamp(action["at"], ZoneInfo(BROWSER_ZONE)).strftime("%H:%M")
    assert first["at"] != in_new_york
    assert first["command"].split()[0] == action["command"]["mode"]
    assert first["why"] == action["why"]
    assert shown["actions"] == len(plan["actions"])

    traces = shown["traces"]
    assert list(traces) == [
        "Import price", "Solar", "Expected load", "Battery (+ charging)", "Battery SoC",
    ]  # fmt: skip
    slots = plan["slots"]
    assert traces["Battery (+ charging)"]["y"][:-1] == [s["battery_w"] for s in slots]
    assert traces["Expected load"]["y"][:-1] == [s["load_w"] for s in slots]
    assert traces["Solar"]["y"][:-1] == [s["generation_w"] for s in slots]
    assert traces["Battery SoC"]["y"] == [s["soc_pct"] for s in slots]
    assert traces["Battery SoC"]["axis"] == "y2" and traces["Import price"]["axis"] == "y3"
    # Economy 7 in Tokyo: each slot's bar is the rate in force there at the slot's start
    rates = [0.09 if "00:30" <= home_clock(s["start"]) < "07:30" else 0.28 for s in slots]
    assert traces["Import price"]["y"] == rates
    ARTIFACTS.mkdir(exist_ok=True)
    watched.testid("manager-panel").screenshot(path=str(ARTIFACTS / "plan-panel.png"))
    assert watched.problems == []


def test_a_switch_on_the_page_is_the_hubs_and_a_refused_one_is_undone(browser, home):
    watched = Watched(browser, home.url, timezone_id=BROWSER_ZONE)
    shown_plan(home, watched)
    assert watched.page.evaluate(CHECKED) == "plan"

    watched.testid("strategy-off").click()
    watched.testid("plan").wait_for(state="hidden", timeout=15000)
    assert home.get("/api/manager")["strategy"] == "off"
    assert home.hub.request("GET", "/api/plan")[0] == 404
    watched.shows({"plan-empty": "The manager is off: it commands nothing."})
    assert watched.page.evaluate(CHECKED) == "off"

    def refuse(route):
        if route.request.method != "PUT":
            return route.continue_()
        error = {"code": "unavailable", "message": "the hub cannot answer now"}
        return route.fulfill(status=503, content_type="application/json",
                             body=json.dumps({"error": error}))  # fmt: skip

    watched.page.route("**/api/manager", refuse)
    watched.testid("strategy-rules").click()
    watched.shows({"manager-message": "could not switch to rules: the hub cannot answer now"})
    assert watched.page.evaluate(CHECKED) == "off"
    assert home.get("/api/manager")["strategy"] == "off"
    watched.page.unroute("**/api/manager")

    watched.testid("strategy-plan").click()
    watched.testid("plan").wait_for(state="visible", timeout=30000)
    assert home.get("/api/manager")["strategy"] == "plan"
    assert watched.text("manager-message") == ""
    refused = [p for p in watched.problems if "503" in p]
    assert refused and len(refused) <= 2  # the answer and its console line, nothing else
    # while the first plan after the switch is made, /api/plan says 404: that is its contract
    others = [p for p in watched.problems if "503" not in p and "404" not in p]
    assert others == []
