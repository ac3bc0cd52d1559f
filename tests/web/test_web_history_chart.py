"""The history chart in the system Chromium against a live home on a log with a gap and a peak.

The log is written before the hub starts (as bench/history.py does), so the
chart's last 24 hours hold a known day: a kettle's 3 kW minute and a fridge
that was silent for an hour. The test reads what Plotly was given and where
it drew the legend, not only that the chart exists.
"""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from live_home import start_live_home

from hub.core.energy_rows import DeviceMinute
from hub.store.database import Store, db_path
from hub.store.schema import Batch, minute_of
from testkit.ports import wait_for
from testkit.programs import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.browser]

DAY = 24 * 60
SILENT = range(600, 660)  # the fridge's quiet hour, minutes into the day
PEAK = 900  # the kettle's 3 kW minute


def write_day(data_dir, end_minute):
    first = end_minute - DAY * 60
    batch = Batch()
    for i in range(DAY):
        minute = first + 60 * i
        kettle = 3000.0 if i == PEAK else 0.0
        batch.device_rollups.append(DeviceMinute(minute, "kettle", kettle / 60, 0, kettle))
        if i not in SILENT:
            batch.device_rollups.append(DeviceMinute(minute, "fridge", 1.5, 0, 120.0))
    store = Store.open(db_path(data_dir))
    try:
        store.write(batch)
    finally:
        store.close()
    return first


@pytest.fixture
def home_with_a_day(procs, tmp_path):
    first = write_day(tmp_path / "data", minute_of(time.time()))
    return start_live_home(procs, tmp_path), first


TRACES = """() => {
    const chart = document.querySelector('[data-testid="history-chart"]');
    // x is the page's local wall time ("2026-12-01 10:42:00.000"): back to Unix seconds
    const seconds = (x) => new Date(x.replace(" ", "T")).getTime() / 1000;
    return Object.fromEntries((chart.data || []).map((trace) => [trace.name,
        {t: trace.x.map(seconds), y: trace.y, gaps: trace.connectgaps}]));
}"""
BOXES = """() => {
    const chart = document.querySelector('[data-testid="history-chart"]');
    const box = (selector) => {
        const r = chart.querySelector(selector).getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    };
    return {legend: box('.legend'), modebar: box('.modebar'), plot: box('.nsewdrag'),
            width: chart.clientWidth};
}"""


def overlap(a, b):
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


@pytest.mark.parametrize("width", [1400, 700])
def test_the_chart_asks_for_its_width_keeps_the_peak_breaks_the_gap_and_clears_the_mode_bar(
    browser, home_with_a_day, width
):
    home, first = home_with_a_day
    page = browser.new_page(viewport={"width": width, "height": 1000})
    problems, asked = [], []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda r: "/api/history" in r.url and asked.append(r.url))
    page.goto(home.url)  # the page shows the last 24 hours once it has its first snapshot
    traces = wait_for(
        lambda: (traces := page.evaluate(TRACES)) and "fridge" in traces and traces,
        20,
        "the history chart's traces",
    )
    boxes = page.evaluate(BOXES)
    points = int(parse_qs(urlparse(asked[-1]).query)["points"][0])
    assert points == 2 * (boxes["width"] - 72)  # two a pixel of the plot (margins 56 + 16)
    fridge, kettle = traces["fridge"], traces["kettle"]
    assert len(fridge["t"]) <= points and len(kettle["t"]) <= points
    assert max(kettle["y"]) == 3000  # the kettle's one minute survives the buckets
    assert kettle["t"][kettle["y"].index(3000)] == first + PEAK * 60
    assert fridge["gaps"] is False and fridge["y"].count(None) == 1
    gap = fridge["t"][fridge["y"].index(None)]
    assert first + SILENT.start * 60 <= gap < first + SILENT.stop * 60
    assert {y for y in fridge["y"] if y is not None} == {90}
    page.hover('[data-testid="history-chart"] .nsewdrag')  # Plotly shows its mode bar
    assert not overlap(boxes["legend"], page.evaluate(BOXES)["modebar"])
    assert boxes["legend"]["top"] >= boxes["plot"]["bottom"]  # below the plot
    ARTIFACTS = ROOT / "test-artifacts"
    ARTIFACTS.mkdir(exist_ok=True)
    chart = page.get_by_test_id("history-chart")
    chart.screenshot(path=str(ARTIFACTS / f"history-{width}.png"))
    assert problems == []
    page.close()
