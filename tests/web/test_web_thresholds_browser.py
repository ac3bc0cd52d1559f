"""The settings editors in the system Chromium: thresholds from the rule table, the tariff."""

import pytest
from live_home import Watched, start_live_home

from hub.core.settings import THRESHOLD_LEVELS, THRESHOLD_RULES
from testkit.ports import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def test_a_rule_added_in_the_editor_takes_the_keys_unit_and_default_of_the_table(
    browser, procs, tmp_path
):
    home = start_live_home(procs, tmp_path)
    watched = Watched(browser, home.url)
    form = watched.testid("settings-thresholds")
    form.get_by_role("button", name="Add rule").click()
    row = form.locator("#thresholds-rows tr").nth(1)  # the home's total-power rule is row 0
    rule = row.get_by_label("Rule", exact=True)
    assert rule.locator("option").all_inner_texts() == list(THRESHOLD_RULES)
    assert row.get_by_label("Level", exact=True).locator("option").all_inner_texts() == list(
        THRESHOLD_LEVELS
    )
    assert row.get_by_label("Level", exact=True).input_value() == "warning"
    assert row.get_by_label("For seconds", exact=True).input_value() == "10"
    assert row.get_by_label("Device", exact=True).is_disabled()

    rule.select_option("daily-energy")
    row.get_by_label("Above", exact=True).fill("12")
    assert row.get_by_label("Above", exact=True).get_attribute("title") == "above, in kWh"
    assert row.get_by_label("Clear below", exact=True).get_attribute("title") == (
        "blank: 95% of above (11.4 kWh)"
    )
    rule.select_option("device-power")
    assert not row.get_by_label("Device", exact=True).is_disabled()
    rule.select_option("daily-energy")
    watched.testid("save-thresholds").click()

    saved = wait_for(
        lambda: [r for r in home.get("/api/thresholds") if r["rule"] == "daily-energy"],
        10,
        "the daily-energy rule saved",
    )
    clear = pytest.approx(12 * 0.95)  # left blank: the hub's default
    assert saved == [
        {"rule": "daily-energy", "above_kwh": 12.0, "clear_below_kwh": clear, "for_s": 10.0,
         "level": "warning"}
    ]  # fmt: skip
    assert watched.problems == []


def test_the_tariff_editor_shows_the_hubs_tariff_and_saves_an_edit(browser, procs, tmp_path):
    home = start_live_home(procs, tmp_path)
    watched = Watched(browser, home.url)
    form = watched.testid("settings-tariff")
    rate = form.get_by_label("Period 1 rate", exact=True)
    wait_for(lambda: rate.input_value() == "0.25", 10, "the hub's flat rate in the form")
    assert form.get_by_label("Period 1 name", exact=True).input_value() == "flat"

    form.get_by_role("button", name="Add period").click()  # a second period: 00:00-07:00 night
    form.get_by_label("Period 1 start", exact=True).fill("07:00")
    form.get_by_label("Period 2 name", exact=True).fill("night")
    form.get_by_label("Period 2 end", exact=True).fill("07:00")
    form.get_by_label("Period 2 rate", exact=True).fill("0.1")
    watched.testid("save-tariff").click()

    def two_periods():
        tariff = home.get("/api/tariff")
        return tariff if len(tariff["periods"]) == 2 else None

    saved = wait_for(two_periods, 10, "the two-period tariff saved")
    assert [(p["name"], p["start"], p["end"], p["rate"]) for p in saved["periods"]] == [
        ("flat", "07:00", "00:00", 0.25),
        ("night", "00:00", "07:00", 0.1),
    ]

    rate.fill("")  # a period with no rate: the hub refuses, the page says why, nothing changes
    watched.testid("save-tariff").click()
    message = form.locator("#tariff-message")
    wait_for(lambda: "rate" in message.inner_text(), 10, "the hub's refusal shown")
    assert home.get("/api/tariff") == saved
    # the refused PUT, as the response and as Chromium's console line, and nothing else
    assert [p for p in watched.problems if p.endswith("/api/tariff")] == [
        f"400 {home.url.rstrip('/')}/api/tariff"
    ]
    assert all("400" in problem for problem in watched.problems), watched.problems
