"""The default household in home.toml is a believable UK home (Ofgem: ~7.4 kWh a day,
more with an electric car), simulated at full speed in memory."""

from collections import Counter

import pytest

from devices.assembly import device_seed
from devices.kinds import get_kind
from devices.simulate import simulate
from hub.config.load import load_config
from testkit.programs import ROOT

CONFIG = load_config(ROOT / "home.toml")
DAYS = 4


def test_the_household_has_what_the_demo_needs():
    kinds = Counter(device.kind for device in CONFIG.devices)
    assert len(CONFIG.devices) >= 12 and len(kinds) >= 10
    assert {"solar", "ev_charger"} <= set(kinds)
    solar = next(d for d in CONFIG.devices if d.kind == "solar")
    assert solar.params["kwp"] == 4
    assert {p.name for p in CONFIG.tariff.periods} == {"night", "day"}  # Economy 7
    assert CONFIG.shedding.enabled and CONFIG.thresholds


@pytest.mark.parametrize("start", ["2026-01-12T00:00", "2026-06-15T00:00"])
def test_daily_consumption_lands_between_7_and_12_kwh(start):
    consumed_wh = 0.0
    for device in CONFIG.devices:
        kind = get_kind(device.kind)
        if kind.role == "producer":
            continue
        # one home: every device's own seed, and the home's seed for its weather and people
        seed = device_seed(1, device.id)
        params = dict(device.params)
        trace = simulate(kind, 24 * DAYS, params=params, seed=seed, start=start, home_seed=1)
        consumed_wh += trace.energy_wh
    assert 7.0 <= consumed_wh / DAYS / 1000 <= 12.0
