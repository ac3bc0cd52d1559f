"""Hypothesis strategies for valid protocol objects and hostile inputs.

Shared by the protocol test modules (imported by name: pytest puts this
directory on sys.path because it has no __init__.py).
"""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from protocol import (
    ALERT_LEVELS,
    ALERT_STATES,
    Alert,
    Clock,
    Command,
    CommandResult,
    Meta,
    ProtocolError,
    State,
    Summary,
)

# Modest example counts keep the whole protocol suite within a few seconds;
# no deadline, because a cold first example is not a failure of the code.
FAST = settings(max_examples=50, deadline=None)
# For the fuzz tests that run once per payload class and draw many values each.
PER_CLASS = settings(max_examples=25, deadline=None)

device_ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,47}", fullmatch=True).filter(
    lambda value: value != "hub"
)
root_levels = st.text(
    st.characters(blacklist_characters="/+#\0", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=12,
).filter(lambda level: not level.startswith("$"))
topic_roots = st.lists(root_levels, min_size=1, max_size=4).map("/".join)


def numbers(
    min_value: float | None = None, max_value: float | None = None, exclude_min: bool = False
) -> st.SearchStrategy[float]:
    """Finite numbers in range, as a JSON writer might produce them: ints or floats."""
    floats = st.floats(
        min_value=min_value,
        max_value=max_value,
        exclude_min=exclude_min,
        allow_nan=False,
        allow_infinity=False,
    )
    if min_value is None:
        low = -(10**15)
    else:
        low = math.floor(min_value) + 1 if exclude_min else math.ceil(min_value)
    high = 10**15 if max_value is None else math.floor(max_value)
    return floats | st.integers(low, high)


timestamps = numbers(0, exclude_min=True)
non_negative = numbers(0)
any_finite = numbers()
levels = st.none() | numbers(0, 100)
intervals = numbers(0.1, 3600)

metas = st.builds(
    Meta,
    protocol=st.integers(1, 5),
    id=device_ids,
    name=st.text(min_size=1, max_size=100),
    kind=st.from_regex(r"[a-z][a-z0-9_]{0,31}", fullmatch=True),
    role=st.sampled_from(["consumer", "producer"]),
    rated_w=non_negative,
    standby_w=non_negative,
    dimmable=st.booleans(),
    interval_s=intervals,
    priority=st.integers(1, 5),
    sw=st.text(max_size=100),
)
states = st.builds(
    State,
    ts=timestamps,
    seq=st.integers(0, 2**53 - 1),
    on=st.booleans(),
    power_w=non_negative,
    energy_wh=non_negative,
    level=levels,
    phase=st.text(min_size=1, max_size=32),
)
commands = (
    st.just(Command())
    | st.just(Command(toggle=True))
    | st.builds(
        Command,
        on=st.none() | st.booleans(),
        level=st.none() | numbers(0, 100),
        interval_s=st.none() | intervals,
    )
)
results = st.builds(
    lambda command, state: CommandResult.success(command.to_request(), state), commands, states
) | st.builds(
    CommandResult.failure,
    st.text(max_size=300),
    st.binary(max_size=400) | st.text(max_size=400),
    st.none() | st.text(min_size=1, max_size=40),
)
ENERGY_FIELDS = [name for name in Summary.ADDED if name.endswith("_wh")]


@st.composite
def summaries(draw) -> Summary:
    """A 1.0 summary (net power only) or a 1.1 one whose flows add up."""
    online = draw(st.integers(0, 10_000))
    flows: dict[str, object] = {}
    if draw(st.booleans()):
        power = draw(numbers(-1e9, 1e9))
    else:
        load, generation = draw(st.integers(0, 10**8)) / 100, draw(st.integers(0, 10**8)) / 100
        power = round(load - generation, 2) + 0.0
        energy = st.none() | non_negative
        flows = {
            "load_w": load,
            "generation_w": generation,
            "battery_w": 0.0,
            "battery_soc_pct": draw(st.none() | numbers(0, 100)),
            **{name: draw(energy) for name in ENERGY_FIELDS},
        }
    return Summary(
        ts=draw(timestamps),
        power_w=power,
        import_w=max(0.0, float(power)),
        export_w=max(0.0, -float(power)),
        energy_today_wh=draw(non_negative),
        cost_today=draw(any_finite),
        currency=draw(st.from_regex(r"[A-Z]{3}", fullmatch=True)),
        tariff_rate=draw(any_finite),
        devices_online=online,
        devices_total=draw(st.integers(online, online + 10_000)),
        **flows,
    )


alerts = st.builds(
    Alert,
    id=st.text(min_size=1, max_size=200),
    ts=timestamps,
    rule=st.text(min_size=1, max_size=200),
    device=st.none() | device_ids,
    level=st.sampled_from(ALERT_LEVELS),
    state=st.sampled_from(ALERT_STATES),
    value=st.none() | any_finite,
    threshold=st.none() | any_finite,
    message=st.text(max_size=500),
)
clocks = st.builds(
    Clock, sim_epoch=timestamps, real_epoch=timestamps, speed=numbers(0, 100000, exclude_min=True)
)

# Every JSON payload class with a strategy for its valid objects.
VALID_OBJECTS: dict[type, st.SearchStrategy[Any]] = {
    Meta: metas,
    State: states,
    Command: commands,
    CommandResult: results,
    Summary: summaries(),
    Alert: alerts,
    Clock: clocks,
}

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**70), 2**70)
    | st.floats()  # NaN and infinities included: the encoder below writes them
    | st.text(max_size=20)
)


def _json_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)


json_values = st.recursive(json_scalars, _json_containers, max_leaves=8)
# The same without NaN and infinities, for tests that must get past the JSON stage.
finite_json_values = st.recursive(
    json_scalars.filter(lambda value: not isinstance(value, float) or math.isfinite(value)),
    _json_containers,
    max_leaves=8,
)


def dump(value: object) -> bytes:
    """JSON as a careless writer would send it (NaN and Infinity included)."""
    return json.dumps(value).encode()


def parse_or_protocol_error(parse: Any, payload: object) -> Any:
    """Run a parser; ProtocolError is an accepted outcome, any other exception fails."""
    try:
        return parse(payload)
    except ProtocolError:
        return None
