"""Load shedding (hub.core.shedding): order, just enough, debounce, restore, hands off."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.settings import SheddingConfig
from hub.core.shedding import DeviceLoad, LoadShedder, ShedAction

T0 = 1763900000.0
CONFIG = SheddingConfig(enabled=True, limit_w=9000.0, for_s=10.0, restore_below_w=7500.0)


def load(device_id: str, priority: int, power_w: float, on: bool = True, online: bool = True):
    return DeviceLoad(device_id=device_id, priority=priority, on=on, power_w=power_w, online=online)


def switched_off(devices: list[DeviceLoad], *ids: str) -> list[DeviceLoad]:
    """The devices' states after the shed commands arrived."""
    return [replace(d, on=False, power_w=0.0) if d.device_id in ids else d for d in devices]


def decide(shedder: LoadShedder, dt: float, import_w: float, devices) -> list[tuple[str, str]]:
    return [(a.device_id, a.action) for a in shedder.evaluate(T0 + dt, import_w, devices)]


HOUSE = [
    load("fridge", 1, 3000.0),  # essential: never shed, however big
    load("lamp", 5, 1000.0),
    load("ev", 5, 2000.0),
    load("heater", 4, 3000.0),
    load("tv", 3, 150.0),
    load("dryer", 2, 2500.0),
]


def test_sheds_highest_priority_number_first_then_biggest_power_just_enough():
    shedder = LoadShedder(CONFIG)
    assert decide(shedder, 0, 12500, HOUSE) == []
    # 12.5 kW: ev (p5, 2 kW) -> 10.5, lamp (p5, 1 kW) -> 9.5, heater (p4) -> 6.5: under.
    assert decide(shedder, 10, 12500, HOUSE) == [
        ("ev", "shed"),
        ("lamp", "shed"),
        ("heater", "shed"),
    ]
    assert shedder.shed_devices() == ["ev", "lamp", "heater"]


def test_sheds_only_what_the_excess_needs():
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 10000, HOUSE)
    assert decide(shedder, 10, 10000, HOUSE) == [("ev", "shed")]  # 10 kW - 2 kW = 8 kW


def test_an_estimate_exactly_at_the_limit_is_enough():
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 11000, HOUSE)
    assert decide(shedder, 10, 11000, HOUSE) == [("ev", "shed")]


def test_the_reason_says_why_in_words():
    shedder = LoadShedder(CONFIG)
    shedder.evaluate(T0, 10000, HOUSE)
    [action] = shedder.evaluate(T0 + 10, 10000, HOUSE)
    assert action == ShedAction(
        "ev",
        "shed",
        "Home imports 10.00 kW, above the 9.00 kW limit for 10 s: "
        "switching off ev (priority 5, 2.00 kW)",
    )


def test_never_sheds_priority_one_even_if_still_over_the_limit():
    devices = [load("fridge", 1, 8000.0), load("freezer", 1, 3000.0), load("tv", 2, 150.0)]
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 11150, devices)
    assert decide(shedder, 10, 11150, devices) == [("tv", "shed")]
    after = switched_off(devices, "tv")
    assert decide(shedder, 20, 11000, after) == []
    assert decide(shedder, 60, 11000, after) == []
    assert shedder.shed_devices() == ["tv"]


def test_skips_devices_that_are_offline_off_or_drawing_nothing():
    devices = [
        load("ev", 5, 7000.0, online=False),
        load("oven", 5, 3000.0, on=False),
        load("washer", 5, 0.0),
        load("heater", 3, 2000.0),
    ]
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 10000, devices)
    assert decide(shedder, 10, 10000, devices) == [("heater", "shed")]


def test_a_spike_shorter_than_for_s_sheds_nothing():
    shedder = LoadShedder(CONFIG)
    steps = [(0, 12000), (5, 12000), (9.9, 12000), (10, 8000), (12, 12000), (21, 12000)]
    assert [decide(shedder, dt, w, HOUSE) for dt, w in steps] == [[]] * 6
    assert decide(shedder, 22, 12000, HOUSE) != []


def test_exactly_at_the_limit_is_not_above_it():
    shedder = LoadShedder(CONFIG)
    assert [decide(shedder, dt, 9000, HOUSE) for dt in (0, 10, 100)] == [[], [], []]


def test_waits_for_s_again_before_shedding_more():
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 10000, HOUSE)
    assert decide(shedder, 10, 10000, HOUSE) == [("ev", "shed")]
    # The ev's new state has not arrived yet: the import still reads 10 kW.
    assert decide(shedder, 11, 10000, HOUSE) == []
    # It arrived, but the home went up again anyway and stays up.
    after = switched_off(HOUSE, "ev")
    assert decide(shedder, 15, 9500, after) == []
    assert decide(shedder, 19.9, 9500, after) == []
    assert decide(shedder, 20, 9500, after) == [("lamp", "shed")]


def test_a_device_being_shed_is_not_chosen_again_while_its_state_is_in_flight():
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 10000, HOUSE)
    decide(shedder, 10, 10000, HOUSE)  # ev
    # Still reads on at 2 kW twenty seconds later (command lost): shed the next one.
    assert decide(shedder, 20, 10000, HOUSE) == [("lamp", "shed")]


def shed_ev_then_lamp() -> tuple[LoadShedder, list[DeviceLoad]]:
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 10000, HOUSE)
    assert decide(shedder, 10, 10000, HOUSE) == [("ev", "shed")]
    after = switched_off(HOUSE, "ev")
    assert decide(shedder, 20, 9500, after) == [("lamp", "shed")]
    return shedder, switched_off(after, "lamp")


def test_restores_in_reverse_order_after_the_import_stays_below_for_for_s():
    shedder, devices = shed_ev_then_lamp()
    assert decide(shedder, 30, 6000, devices) == []
    assert decide(shedder, 35, 7600, devices) == []  # not below 7.5 kW: restarts
    assert decide(shedder, 36, 6000, devices) == []
    assert decide(shedder, 45.9, 6000, devices) == []
    assert decide(shedder, 46, 6000, devices) == [("lamp", "restore")]
    assert shedder.shed_devices() == ["ev"]
    # One at a time: the next waits another for_s.
    assert decide(shedder, 50, 6500, devices) == []
    [action] = shedder.evaluate(T0 + 56, 6500, devices)
    assert action == ShedAction(
        "ev", "restore", "Home imports 6.50 kW, below 7.50 kW for 10 s: switching ev back on"
    )
    assert shedder.shed_devices() == []
    assert decide(shedder, 100, 6500, devices) == []


def test_does_not_restore_a_device_that_would_take_the_import_over_the_limit():
    shedder, devices = shed_ev_then_lamp()
    # lamp drew 1 kW when shed: 7.2 + 1 = 8.2 kW is fine; ev's 2 kW on 7.2 is not.
    decide(shedder, 30, 7200, devices)
    assert decide(shedder, 40, 7200, devices) == [("lamp", "restore")]
    assert decide(shedder, 50, 7200, devices) == []
    assert decide(shedder, 60, 7200, devices) == []
    assert shedder.shed_devices() == ["ev"]
    assert decide(shedder, 70, 6900, devices) == [("ev", "restore")]


def test_hands_off_a_device_a_person_switched():
    shedder, devices = shed_ev_then_lamp()
    shedder.person_switched("lamp")  # someone switched it off (or on) themselves
    assert shedder.shed_devices() == ["ev"]
    decide(shedder, 30, 5000, devices)
    assert decide(shedder, 40, 5000, devices) == [("ev", "restore")]
    assert decide(shedder, 50, 5000, devices) == []
    shedder.person_switched("unknown")  # harmless


def test_a_shed_device_seen_on_again_is_someone_elses_now():
    shedder, devices = shed_ev_then_lamp()
    decide(shedder, 21, 8000, devices)  # both seen off
    lamp_on = [replace(d, on=True, power_w=1000.0) if d.device_id == "lamp" else d for d in devices]
    decide(shedder, 25, 8000, lamp_on)
    assert shedder.shed_devices() == ["ev"]


def test_a_shed_device_still_on_before_its_state_arrives_stays_on_the_list():
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 10000, HOUSE)
    decide(shedder, 10, 10000, HOUSE)
    decide(shedder, 11, 10000, HOUSE)  # still reads on: never seen off yet
    assert shedder.shed_devices() == ["ev"]


def test_an_offline_device_is_dropped_at_restore_time_and_the_next_restored():
    shedder, devices = shed_ev_then_lamp()
    lamp_offline = [replace(d, online=False) if d.device_id == "lamp" else d for d in devices]
    decide(shedder, 30, 5000, lamp_offline)
    assert decide(shedder, 40, 5000, lamp_offline) == [("ev", "restore")]
    assert shedder.shed_devices() == []


def test_a_device_missing_from_the_list_counts_as_offline():
    shedder, devices = shed_ev_then_lamp()
    without_ev = [d for d in devices if d.device_id != "ev"]
    decide(shedder, 30, 5000, without_ev)
    assert decide(shedder, 40, 5000, without_ev) == [("lamp", "restore")]
    decide(shedder, 50, 5000, without_ev)
    assert shedder.shed_devices() == []


def test_disabled_sheds_nothing():
    shedder = LoadShedder(replace(CONFIG, enabled=False))
    assert [decide(shedder, dt, 20000, HOUSE) for dt in (0, 10, 100)] == [[], [], []]


def test_disabling_restores_every_shed_device_at_once_in_reverse_order():
    shedder, devices = shed_ev_then_lamp()
    shedder.replace_config(replace(CONFIG, enabled=False))
    actions = shedder.evaluate(T0 + 21, 9500, devices)
    assert [(a.device_id, a.action) for a in actions] == [("lamp", "restore"), ("ev", "restore")]
    assert actions[0].reason == "Load shedding was disabled: switching lamp back on"
    assert shedder.shed_devices() == []
    assert decide(shedder, 22, 9500, devices) == []


def test_a_new_limit_applies_at_once():
    shedder = LoadShedder(CONFIG)
    decide(shedder, 0, 8000, HOUSE)
    shedder.replace_config(replace(CONFIG, limit_w=7000.0))
    assert shedder.config.limit_w == 7000.0
    decide(shedder, 1, 8000, HOUSE)
    assert decide(shedder, 11, 8000, HOUSE) == [("ev", "shed")]


def test_time_going_backwards_sheds_nothing():
    shedder = LoadShedder(CONFIG)
    steps = [(100, 12000), (105, 12000), (50, 12000), (59, 12000)]
    assert [decide(shedder, dt, w, HOUSE) for dt, w in steps] == [[]] * 4
    assert decide(shedder, 60, 12000, HOUSE) != []


device_ids = ["a", "b", "c", "d", "e"]
steps = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=15),
        st.integers(min_value=0, max_value=15000),
        st.lists(
            st.tuples(st.integers(1, 5), st.booleans(), st.integers(0, 4000), st.booleans()),
            min_size=5,
            max_size=5,
        ),
        st.sampled_from([None, *device_ids]),
    ),
    max_size=25,
)


@settings(max_examples=50, deadline=None)
@given(steps)
def test_only_eligible_devices_are_shed_and_only_shed_ones_restored(script):
    """Whatever happens: a shed device was online, on, drawing and not essential; a
    restored device was shed, not touched by a person since, and is online."""
    shedder = LoadShedder(replace(CONFIG, for_s=5.0))
    t = T0
    for dt, import_w, states, person in script:
        t += dt
        if person is not None:
            shedder.person_switched(person)
            assert person not in shedder.shed_devices()
        devices = [
            load(i, p, w, on=on, online=up)
            for i, (p, on, w, up) in zip(device_ids, states, strict=True)
        ]
        by_id = {d.device_id: d for d in devices}
        before = shedder.shed_devices()
        for action in shedder.evaluate(t, import_w, devices):
            device = by_id[action.device_id]
            if action.action == "shed":
                assert device.online and device.on and device.power_w > 0
                assert device.priority > 1
                assert action.device_id not in before
            else:
                assert action.device_id in before and device.online
                assert action.device_id not in shedder.shed_devices()
