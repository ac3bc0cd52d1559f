"""The thresholds editor in the system Chromium: its form is built from the hub's rule table."""

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
