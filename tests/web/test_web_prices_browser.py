"""The prices panel in Chromium: the numbers it shows now and the 24 h it charts are the
ones GET /api/prices serves, for a home on the agile-like generator; the tariff editor
says where its prices come from."""

import math
import re
import time

import pytest
from live_home import ARTIFACTS, Watched, start_live_home

from testkit import configs
from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]

CONFIG = configs.home_toml("Test home", prices="agile-like").replace(
    'prices = "agile-like"', 'prices = "agile-like"\nprices_seed = 3'
)


def economy_7_at_noon() -> str:
    """A home on Economy 7 in a fixed-offset zone where it is about noon now: the day period
    is in force, and its slot is cut at midnight, half an hour before the price changes."""
    ahead = (12 - time.gmtime().tm_hour + 12) % 24 - 12  # local = UTC + ahead, -12..11 h
    zone = f"Etc/GMT{-ahead:+d}" if ahead else "UTC"  # the Etc names count the other way
    return f'[home]\nname = "Test home"\ntimezone = "{zone}"\n' + configs.ECONOMY_7


CHART = """() => {
  const chart = document.getElementById("prices-chart");
  if (!chart.data) return null; // Plotly is still on its way
  return chart.data.map((trace) => ({ name: trace.name, y: trace.y, axis: trace.yaxis || "y",
    shape: trace.line.shape, points: trace.x.length }));
}"""


def money(value: float) -> str:
    """As the page's formatMoney(value, "GBP", 3) shows it in Chromium's en-US."""
    return f"{'-' if round(value, 3) < 0 else ''}£{abs(value):.3f}/kWh"


def test_the_next_change_skips_the_midnight_cut_of_a_fixed_period(browser, procs, tmp_path):
    home = start_live_home(procs, tmp_path, config_text=economy_7_at_noon())
    watched = Watched(browser, home.url)
    now = home.get("/api/summary")["ts"]
    slots = home.get("/api/prices")["slots"]
    index = next(i for i, s in enumerate(slots) if s["start"] <= now < s["end"])
    follows = [s for s in slots[index + 1 :] if s["import"] != slots[index]["import"]]
    assert slots[index]["import"] == 0.28 and follows[0]["start"] - slots[index]["end"] == 1800
    change = time.strftime("%H:%M", time.localtime(follows[0]["start"]))  # Chromium's zone
    watched.shows({"prices-until": change})
    assert watched.problems == []


def test_the_panel_shows_the_slot_in_force_and_charts_the_next_24_h(browser, procs, tmp_path):
    home = start_live_home(procs, tmp_path, config_text=CONFIG)
    watched = Watched(browser, home.url)

    def expected() -> dict[str, str]:
        now = home.get("/api/summary")["ts"]
        slot = next(s for s in home.get("/api/prices")["slots"] if s["start"] <= now < s["end"])
        return {
            "prices-import": money(slot["import"]),
            "prices-export": money(slot["export"]),
            "prices-co2": f"{math.floor(slot['co2_g_per_kwh'] + 0.5)} g/kWh",
        }

    watched.shows(expected())
    assert re.fullmatch(r"\d\d:\d\d", watched.text("prices-until"))  # 24-hour, as the charts
    drawn = wait_for(lambda: watched.page.evaluate(CHART), 20, "the prices chart")
    served = home.get("/api/prices")["slots"]
    assert [t["name"] for t in drawn] == ["Import", "Export", "CO₂"]
    assert {t["shape"] for t in drawn} == {"hv"} and drawn[2]["axis"] == "y2"
    for trace, key in zip(drawn, ("import", "export", "co2_g_per_kwh"), strict=True):
        assert trace["points"] == len(served) + 1  # each slot's start, then the last one's end
        charted, values = trace["y"][:-1], [s[key] for s in served]
        # the page fetched a moment before the test: a slot may have passed in between
        assert charted == values or charted[1:] == values[:-1], key
    tariff_note = watched.text("tariff-series")
    assert "agile-like generator (seed 3)" in tariff_note and "home.toml" in tariff_note
    ARTIFACTS.mkdir(exist_ok=True)
    watched.testid("prices-panel").screenshot(path=str(ARTIFACTS / "prices-panel.png"))
    watched.page.screenshot(path=str(ARTIFACTS / "prices-dashboard.png"), full_page=True)
    assert watched.problems == []
