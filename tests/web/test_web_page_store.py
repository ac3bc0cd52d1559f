"""The page's store (web/static/store.js), in the system Chromium: a reading is the device's
whole state, so a 1.1 field it no longer carries (a car's charge once it has driven off) is
gone from the page, not shown stale."""

import pytest

pytestmark = [pytest.mark.browser]

DRIVE_OFF = """async () => {
  const { PageStore } = await import("/store.js");
  const store = new PageStore();
  const car = { id: "ev", plugged: true, soc_pct: 64.2, departure: 1764660600, mode: "now",
    target_soc: 90, power_w: 7400, phase: "charging" };
  store.applySnapshot({ devices: [car], timezone: "America/New_York" });
  const seen = (device) => ({ ...device });
  const plugged = seen(store.devices.get("ev"));
  store.mergeReadings([{ id: "ev", plugged: false, mode: "now", target_soc: 90, power_w: 0,
    phase: "unplugged" }]);
  const gone = seen(store.devices.get("ev"));
  store.applyDevice({ id: "ev", plugged: true, soc_pct: 40, mode: "now", target_soc: 90 });
  const back = seen(store.devices.get("ev"));
  store.mergeState("ev", { plugged: false, mode: "now", target_soc: 90, power_w: 0 });
  return { zone: store.timezone, plugged, gone, back, again: seen(store.devices.get("ev")) };
}"""


def test_a_field_a_reading_no_longer_carries_is_gone_from_the_page(static_page):
    seen = static_page.evaluate(DRIVE_OFF)
    assert seen["zone"] == "America/New_York"
    assert (seen["plugged"]["soc_pct"], seen["plugged"]["departure"]) == (64.2, 1764660600)
    assert seen["gone"]["plugged"] is False
    assert "soc_pct" not in seen["gone"] and "departure" not in seen["gone"]
    assert seen["gone"]["target_soc"] == 90  # what the reading still says stays
    assert seen["back"]["soc_pct"] == 40  # a device view too is the whole device
    assert "soc_pct" not in seen["again"]  # and so is a command's reply
