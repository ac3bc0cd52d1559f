"""The relay's snapshot frames: one per 5 s for the last 15 minutes, each an instant of the home."""

from web.live.relay import MAX_POINTS, SNAPSHOT_STEP_S, WINDOW_S, Relay


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def summary(relay: Relay, ts: float, **device_power_w: float) -> None:
    """A frame as hub/features/live.py sends it; "sun" is the only producer."""
    generation = device_power_w.get("sun", 0.0)
    load = sum(device_power_w.values()) - generation
    relay.add(
        "summary",
        {
            "ts": ts,
            "power_w": load - generation,
            "load_w": load,
            "generation_w": generation,
            "device_power_w": device_power_w,
        },
    )


def test_a_snapshot_keeps_one_frame_per_step_with_every_figure_of_that_instant():
    clock = Clock()
    relay = Relay(clock)
    for second in range(12):  # a summary a second for 12 s
        summary(relay, 5e8 + second, kettle=float(second), sun=100.0)
        clock.now += 1.0
    frames = relay.series()
    assert frames["t"] == [5e8, 5e8 + 5, 5e8 + 10]
    assert frames["device_power_w"] == {"kettle": [0.0, 5.0, 10.0], "sun": [100.0] * 3}
    assert frames["load_w"] == [0.0, 5.0, 10.0]
    assert frames["generation_w"] == [100.0] * 3
    assert frames["power_w"] == [-100.0, -95.0, -90.0]


def test_a_device_that_joins_or_leaves_reads_zero_where_it_drew_nothing():
    clock = Clock()
    relay = Relay(clock)
    summary(relay, 1.0, fridge=80.0)
    clock.now += SNAPSHOT_STEP_S
    summary(relay, 6.0, fridge=80.0, kettle=2000.0)
    clock.now += SNAPSHOT_STEP_S
    summary(relay, 11.0, kettle=2000.0)
    frames = relay.series()
    assert frames["device_power_w"] == {
        "fridge": [80.0, 80.0, 0.0],
        "kettle": [0.0, 2000.0, 2000.0],
    }
    for i, net in enumerate(frames["power_w"]):  # every frame still adds up
        assert net == sum(column[i] for column in frames["device_power_w"].values())


def test_frames_older_than_the_window_are_left_out_and_memory_is_capped():
    clock = Clock()
    relay = Relay(clock)
    steps = MAX_POINTS + 50
    for step in range(steps):
        summary(relay, float(step + 1), meter=float(step))
        clock.now += SNAPSHOT_STEP_S
    frames = relay._frames
    lengths = {len(frames.seen), len(frames.devices["meter"]), *map(len, frames.home.values())}
    assert lengths == {MAX_POINTS}
    series = relay.series()
    assert len(series["t"]) == int(WINDOW_S / SNAPSHOT_STEP_S)
    assert series["device_power_w"]["meter"][-1] == steps - 1  # the newest is always there


def test_a_forgotten_device_leaves_the_snapshot():
    relay = Relay(Clock())
    summary(relay, 1.0, old=5.0)
    relay.add("device", {"id": "old", "change": "forgotten"})
    assert relay.series()["device_power_w"] == {}


def test_a_summary_makes_one_due_and_readings_wait_for_a_listener():
    relay = Relay(Clock())
    relay.add("reading", {"id": "kettle", "ts": 1.0, "power_w": 5.0})
    summary(relay, 1.0, kettle=5.0)
    batch = relay.drain()
    assert batch.readings == [] and batch.summary_due
    relay.listening = True
    relay.add("reading", {"id": "kettle", "ts": 2.0, "power_w": 6.0})
    assert relay.drain().readings == [{"id": "kettle", "ts": 2.0, "power_w": 6.0}]
    assert not relay.drain().summary_due
