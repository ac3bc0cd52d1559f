"""Clock times in the home's zone (web/static/home-clock.js), in the system Chromium: the
page's reading of "HH:MM" must be the devices' (Python's zoneinfo), DST changes included."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = [pytest.mark.browser]

CLOCK = """async ([stamps, zone]) => {
  const { clockTime } = await import("/home-clock.js");
  return stamps.map((ts) => clockTime(ts, zone));
}"""
NEXT = """async ([cases, zone]) => {
  const { nextClockTime } = await import("/home-clock.js");
  return cases.map(([hhmm, after]) => nextClockTime(hhmm, after, zone));
}"""


def next_clock_time(hhmm: str, after: float, zone: ZoneInfo) -> float:
    """What a device makes of a departure's "HH:MM" (devices/kinds/ev_charger.py)."""
    local = datetime.fromtimestamp(after, zone)
    moment = datetime.combine(local.date(), time.fromisoformat(hhmm), zone)
    if moment.timestamp() <= after:
        moment = datetime.combine(local.date() + timedelta(days=1), time.fromisoformat(hhmm), zone)
    return moment.timestamp()


def test_a_time_is_shown_on_the_homes_clock_not_the_browsers(static_page):
    winter, summer = 1764633600.0, 1782903600.0  # 2025-12-02 00:00 and 2026-07-01 11:00 UTC
    assert static_page.evaluate(CLOCK, [[winter, summer], "Europe/London"]) == ["00:00", "12:00"]
    assert static_page.evaluate(CLOCK, [[winter, summer], "Asia/Tokyo"]) == ["09:00", "20:00"]
    browser_zone = static_page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    local = datetime.fromtimestamp(winter, ZoneInfo(browser_zone)).strftime("%H:%M")
    assert static_page.evaluate(CLOCK, [[winter], None]) == [local]  # no zone: the browser's


@pytest.mark.parametrize("zone_name", ["Europe/London", "America/New_York", "Pacific/Auckland"])
def test_the_next_hhmm_is_the_devices_reading_of_it_across_the_clock_changes(
    static_page, zone_name
):
    zone = ZoneInfo(zone_name)
    afters = [
        datetime.combine(day, time(hour, 17), zone).timestamp()
        for day in (date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 10, 25))
        for hour in (0, 12, 23)
    ]
    # the hours the clocks skip or show twice in one zone or another, and ordinary ones
    cases = [[hhmm, after] for after in afters for hhmm in ("00:00", "01:30", "02:30", "07:00")]
    answers = static_page.evaluate(NEXT, [cases, zone_name])
    assert answers == [next_clock_time(hhmm, after, zone) for hhmm, after in cases]
    for (_, after), answer in zip(cases, answers, strict=True):
        assert after < answer <= after + 25 * 3600
