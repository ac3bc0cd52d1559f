"""What the plan panel reads off a plan (web/static/plan-marks.js), in the system Chromium:
each command in words (a program's start on the home's clock), the runs of a car's charging
and a boost and each program's start the chart marks, and each slot's import price."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

pytestmark = [pytest.mark.browser]

CALL = """async ([name, args]) => {
  const module = await import("/plan-marks.js");
  return module[name](...args);
}"""
MADE = 1796169600.0  # 2026-12-02 00:00 UTC
HALF_HOUR = 1800.0


def call(page, name: str, *args):
    return page.evaluate(CALL, [name, list(args)])


def test_each_command_reads_as_a_person_says_it(static_page):
    start = MADE + 5 * HALF_HOUR
    cases = {
        "charge 2.60 kW": {"mode": "charge", "power_w": 2600.0},
        "discharge 800 W": {"mode": "discharge", "power_w": 800.0},
        "auto": {"mode": "auto"},
        "on at 60 %": {"on": True, "level": 60},
        "off": {"on": False},
        "start now": {"on": True},
        "boost on": {"boost": True},
        "boost off": {"boost": False},
    }
    for text, command in cases.items():
        assert call(static_page, "commandText", command, "Europe/London") == text, command
    tokyo = datetime.fromtimestamp(start, ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    assert tokyo == "11:30"  # not the browser's nor UTC's 02:30
    text = call(static_page, "commandText", {"start_at": start}, "Asia/Tokyo")
    assert text == f"start at {tokyo}"


def test_the_chart_marks_each_charging_run_and_boost_and_each_program_start(static_page):
    at = [MADE + n * HALF_HOUR for n in range(8)]
    horizon_end = MADE + 72 * HALF_HOUR
    plan = {
        "horizon_end": horizon_end,
        "actions": [
            {"device": "car", "at": at[0], "command": {"on": False}},
            {"device": "washer", "at": at[0], "command": {"start_at": at[3]}},
            {"device": "dishwasher", "at": at[0], "command": {"on": True}},
            {"device": "battery", "at": at[0], "command": {"mode": "charge", "power_w": 2000.0}},
            {"device": "car", "at": at[1], "command": {"on": True, "level": 100}},
            {"device": "car", "at": at[2], "command": {"on": True, "level": 40}},
            {"device": "boiler", "at": at[2], "command": {"boost": True}},
            {"device": "car", "at": at[4], "command": {"on": False}},
            {"device": "boiler", "at": at[5], "command": {"boost": False}},
            {"device": "car", "at": at[6], "command": {"on": True, "level": 80}},
        ],
    }
    marks = call(static_page, "planMarks", plan)
    blocks = sorted((b["device"], b["start"], b["end"]) for b in marks["blocks"])
    assert blocks == [
        ("boiler", at[2], at[5]),
        ("car", at[1], at[4]),  # a new level goes on with the run
        ("car", at[6], horizon_end),  # still charging at the horizon's end
    ]
    starts = sorted((s["device"], s["at"]) for s in marks["starts"])
    assert starts == [("dishwasher", at[0]), ("washer", at[3])]


def test_each_slot_is_priced_by_the_price_slot_it_starts_in(static_page):
    slots = [{"start": MADE + n * HALF_HOUR, "end": MADE + (n + 1) * HALF_HOUR} for n in range(4)]
    prices = [
        {"start": MADE - HALF_HOUR, "end": MADE + HALF_HOUR, "import": 0.09},
        {"start": MADE + HALF_HOUR, "end": MADE + 3 * HALF_HOUR, "import": 0.28},
    ]
    assert call(static_page, "slotPrices", slots, prices) == [0.09, 0.28, 0.28, None]
