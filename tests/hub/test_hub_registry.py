"""Device status from availability and silence; rejection counting."""

from hub.core.registry import Registry, Rejections
from protocol import Meta, State


def meta(interval_s=2.0):
    return Meta(
        id="tv",
        name="TV",
        kind="tv",
        role="consumer",
        rated_w=120,
        standby_w=1,
        dimmable=False,
        interval_s=interval_s,
        priority=3,
        sw="t",
    )


def state(power=100.0):
    return State(ts=1.0, seq=1, on=True, power_w=power, energy_wh=1.0, level=None, phase="on")


def test_status_follows_availability_and_silence():
    registry = Registry()
    record, new = registry.ensure("tv")
    assert new and record.status == "unknown"
    record.meta, record.availability = meta(2.0), "online"
    assert registry.refresh_status(record, 100.0) and record.status == "online"
    record.state, record.last_heard_real = state(), 100.0
    assert not registry.refresh_status(record, 105.9)  # 3 intervals = 6 s
    assert registry.refresh_status(record, 106.1) and record.status == "stale"
    assert record.live_power_w == 0.0
    record.last_heard_real = 107.0
    assert registry.refresh_status(record, 107.0) and record.live_power_w == 100.0
    record.availability = "offline"
    assert registry.refresh_status(record, 107.0) and record.status == "offline"
    assert registry.counts() == (0, 1)


def test_rejections_are_counted_always_and_logged_once_a_minute():
    rejections = Rejections()
    assert rejections.add("tv", "bad state", 0.0)
    assert not rejections.add("tv", "bad state", 30.0)
    assert not rejections.add("tv", "bad meta", 59.0)
    assert rejections.add("tv", "bad state", 61.0)
    assert rejections.add("fridge", "bad state", 61.0)
    assert rejections.by_source() == {
        "tv": {"bad state": 3, "bad meta": 1},
        "fridge": {"bad state": 1},
    }
