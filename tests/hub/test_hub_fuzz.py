"""Malformed input on every topic the hub reads: nothing crashes, no figure moves."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hub_core import Home, meta, state

DEVICES = ("kettle", "fridge")
channels = st.sampled_from(["meta", "state", "availability", "result", "set", "x", ""])
ids = st.one_of(st.sampled_from(DEVICES), st.text(max_size=12))
json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=12,
)
near_misses = st.fixed_dictionaries(
    {
        "ts": st.one_of(st.floats(), st.text(max_size=3), st.none()),
        "seq": st.one_of(st.integers(), st.floats(), st.booleans()),
        "on": st.one_of(st.booleans(), st.integers()),
        "power_w": st.floats(allow_nan=True, allow_infinity=True),
        "energy_wh": st.floats(max_value=-1e-9) | st.text(max_size=3),
        "level": st.one_of(st.none(), st.floats(min_value=101)),
        "phase": st.text(max_size=40),
    }
)
payloads = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    near_misses.map(lambda v: json.dumps(v).encode()),
)
garbage = st.lists(st.tuples(ids, channels, payloads), min_size=50, max_size=200)


def _is_json(payload: bytes) -> bool:
    try:
        json.loads(payload)
    except ValueError:
        return False
    return True


def figures(home):
    summary = home.summary()
    day = home.core.ledger.day(home.core.tariff.day_of(home.t))
    return summary, day.consumption_wh, dict(day.device_wh)


def live_home():
    home = Home()
    home.device("kettle", 2800.0, 10.0)
    home.device("fridge", 100.0, 500.0)
    home.t += 60
    home.send("home/kettle/state", state(2, 2800.0, 56.7))
    return home


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbage)
def test_rejected_input_never_raises_and_never_moves_a_figure(messages):
    home = live_home()
    before = figures(home)
    for device_id, channel, payload in messages:
        topic = "/".join(part for part in ("home", device_id, channel) if part)
        # a valid message on a live device's topic would legitimately change things,
        # and so does an empty meta (it forgets the device)
        live = channel in ("meta", "state", "availability") and device_id in DEVICES
        if live and (not payload or _is_json(payload)):
            continue
        home.send(topic, payload)
    assert figures(home) == before


def test_thousands_of_bad_messages_are_counted_not_logged_each():
    home = live_home()
    for n in range(5000):
        home.send("home/kettle/state", b"{bad %d" % n)
    assert home.core.rejections.counts[("kettle", "bad state")] == 5000
    assert home.summary().power_w == 2900.0


@pytest.mark.parametrize("payload", [meta("kettle"), state(9, 1.0, 1.0)])
def test_valid_messages_under_a_foreign_root_are_ignored(payload):
    home = live_home()
    before = figures(home)
    home.send("elsewhere/kettle/state", payload)
    assert figures(home) == before
