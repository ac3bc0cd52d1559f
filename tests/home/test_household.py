"""The default household in home.toml has what the demo needs; how much it uses, and when,
is held against the issue's targets by test_realism_targets.py."""

from collections import Counter

from hub.config.load import load_config
from testkit.programs import ROOT

CONFIG = load_config(ROOT / "home.toml")


def test_the_household_has_what_the_demo_needs():
    kinds = Counter(device.kind for device in CONFIG.devices)
    assert len(CONFIG.devices) >= 12 and len(kinds) >= 10
    assert {"solar", "ev_charger"} <= set(kinds)
    solar = next(d for d in CONFIG.devices if d.kind == "solar")
    assert solar.params["kwp"] == 4
    assert {p.name for p in CONFIG.tariff.periods} == {"night", "day"}  # Economy 7
    assert CONFIG.shedding.enabled and CONFIG.thresholds


def test_the_car_charges_in_the_tariffs_cheap_hours():
    ev = next(d for d in CONFIG.devices if d.kind == "ev_charger")
    night = next(p for p in CONFIG.tariff.periods if p.name == "night")
    assert ev.params["mode"] == "smart"
    assert ev.params["offpeak"] == f"{night.start:%H:%M}-{night.end:%H:%M}"
