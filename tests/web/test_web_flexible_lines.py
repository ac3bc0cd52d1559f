"""The flexible appliances' card line (web/static/flexible.js), in the system Chromium: what
a car charger and a loaded machine say, clock times on the home's clock."""

import pytest

pytestmark = [pytest.mark.browser]

LINES = """async (cases) => {
  const { flexibleLine } = await import("/flexible.js");
  return cases.map(([device, options]) => flexibleLine(device, options));
}"""
HOME = {"zone": "America/New_York"}
SEVEN_UTC = 1764658800  # 2025-12-02 07:00 UTC: 02:00 in New York
CAR = {"plugged": True, "mode": "now", "target_soc": 80}
WASHER = {"phase": "ready", "finish_by": SEVEN_UTC, "program_s": 7200}


def lines(page, *cases) -> list[str]:
    return page.evaluate(LINES, [list(case) for case in cases])


def test_a_car_shows_its_charge_only_while_plugged_in(static_page):
    assert lines(
        static_page,
        ({**CAR, "soc_pct": 41.6, "departure": SEVEN_UTC}, HOME),
        ({**CAR, "plugged": False}, HOME),
        ({**CAR, "plugged": False, "soc_pct": 41.6}, HOME),  # an older device's stale charge
        (CAR, HOME),  # a charger that cannot read the car
    ) == [
        "car 42 % → 80 % · needed 02:00 · now",
        "no car plugged in · now",
        "no car plugged in · now",
        "car plugged in → 80 % · now",
    ]


def test_a_loaded_machine_says_when_it_starts_and_finishes_on_the_homes_clock(static_page):
    planned = {**HOME, "plannedStart": SEVEN_UTC - 4 * 3600}
    assert lines(
        static_page,
        (WASHER, HOME),
        (WASHER, planned),
        ({**WASHER, "phase": "wash"}, planned),  # running: the plan is spent
        (WASHER, {"zone": "Asia/Tokyo"}),
    ) == [
        "ready, finishes by 02:00 · 120 min program",
        "ready, starts 22:00, finishes by 02:00 · 120 min program",
        "finishes by 02:00 · 120 min program",
        "ready, finishes by 16:00 · 120 min program",
    ]
