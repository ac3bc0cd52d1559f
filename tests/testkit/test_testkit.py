"""The kit's own promises: sample configs are the TOML they say, failures are the caller's type."""

import tomllib

import pytest

from testkit import configs
from testkit.ports import wait_for

FLAT = {"name": "flat", "start": "00:00", "end": "00:00", "rate": 0.25}


def test_a_sample_home_is_named_on_the_flat_tariff_with_what_the_test_adds():
    text = configs.home_toml(
        "Test home",
        configs.threshold(2000, clear_below_w=1500),
        configs.device("lamp", "light", 0.5),
        currency="GBP",
        standing_charge_per_day=0.5,
    )
    assert tomllib.loads(text) == {
        "home": {"name": "Test home", "currency": "GBP"},
        "tariff": {"standing_charge_per_day": 0.5, "periods": [FLAT]},
        "thresholds": [{"rule": "total-power", "above_w": 2000, "clear_below_w": 1500, "for_s": 1}],
        "devices": [{"id": "lamp", "kind": "light", "interval_s": 0.5}],
    }


def test_keys_left_out_are_not_written():
    text = configs.home_toml("Bare", configs.threshold(1500), configs.device("tv", "tv"))
    parsed = tomllib.loads(text)
    assert parsed["home"] == {"name": "Bare"} and "standing_charge_per_day" not in parsed["tariff"]
    assert parsed["thresholds"] == [{"rule": "total-power", "above_w": 1500, "for_s": 1}]
    assert parsed["devices"] == [{"id": "tv", "kind": "tv"}]


def test_a_timeout_is_the_callers_error_naming_what_it_waited_for():
    class Stop(Exception):
        pass

    with pytest.raises(Stop, match=r"timed out after 0\.05 s waiting for the moon"):
        wait_for(lambda: False, 0.05, "the moon", interval=0.01, error=Stop)
    assert wait_for(lambda: 42, 1, "an answer") == 42
