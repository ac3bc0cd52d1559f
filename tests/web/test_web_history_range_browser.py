"""The history's custom range, in Chromium in another time zone than the home's, against a
real hub: the last 24 h it starts from are on the home's clock, as the API reads them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from live_home import Watched, start_live_home

from testkit import configs

pytestmark = [pytest.mark.integration, pytest.mark.browser]

HOME_ZONE = "America/New_York"


def test_the_custom_range_starts_as_the_last_day_on_the_homes_clock(browser, procs, tmp_path):
    config = configs.home_toml("Test home", timezone=HOME_ZONE)
    home = start_live_home(procs, tmp_path, config_text=config)
    watched = Watched(browser, home.url, timezone_id="Asia/Tokyo")
    watched.page.check("input[name=range][value=custom]")
    now = home.get("/api/summary")["ts"]
    shown = [watched.page.input_value(f"#history-{end}") for end in ("from", "to")]
    wall = [datetime.fromtimestamp(t, ZoneInfo(HOME_ZONE)) for t in (now - 86400, now)]
    for value, expected in zip(shown, wall, strict=True):
        gap = abs(datetime.fromisoformat(value) - expected.replace(tzinfo=None))
        assert gap.total_seconds() <= 120, (value, expected)  # the page's "now" is its summary's
    assert watched.problems == []
