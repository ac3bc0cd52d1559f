"""The relay's snapshot series: one point per 5 s per device, for the last 15 minutes."""

from web.relay import MAX_POINTS, SNAPSHOT_STEP_S, WINDOW_S, Relay


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def reading(relay: Relay, device: str, ts: float, power_w: float) -> None:
    relay.add("reading", {"id": device, "ts": ts, "power_w": power_w})


def test_a_snapshot_keeps_one_point_per_step_per_device():
    clock = Clock()
    relay = Relay(clock)
    for second in range(12):  # a reading a second for 12 s
        reading(relay, "kettle", 5e8 + second, float(second))
        reading(relay, "fridge", 5e8 + second, 100.0)
        clock.now += 1.0
    series = relay.series()
    assert series["kettle"] == {"t": [5e8, 5e8 + 5, 5e8 + 10], "power_w": [0.0, 5.0, 10.0]}
    assert series["fridge"]["t"] == [5e8, 5e8 + 5, 5e8 + 10]


def test_points_older_than_the_window_are_left_out_and_memory_is_capped():
    clock = Clock()
    relay = Relay(clock)
    steps = MAX_POINTS + 50
    for step in range(steps):
        reading(relay, "meter", float(step + 1), float(step))
        clock.now += SNAPSHOT_STEP_S
    points = relay._series["meter"]
    assert len(points.seen) == len(points.ts) == len(points.power_w) == MAX_POINTS
    series = relay.series()["meter"]
    assert len(series["t"]) == int(WINDOW_S / SNAPSHOT_STEP_S)
    assert series["power_w"][-1] == steps - 1  # the newest is always there


def test_a_forgotten_device_leaves_the_snapshot():
    relay = Relay(Clock())
    reading(relay, "old", 1.0, 5.0)
    relay.add("device", {"id": "old", "change": "forgotten"})
    assert relay.series() == {}
