"""The relay, fed the core's typed events: its batches as the page's payloads, device views
taken after the round's readings, and its snapshot frames (one per 5 s for the last 15
minutes, each an instant of the home)."""

from hub.core.events import AlertChanged, DeviceChanged, ReadingTaken, SummaryComputed
from protocol import Alert, State, Summary
from web.live.relay import MAX_POINTS, SNAPSHOT_STEP_S, WINDOW_S, Relay


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Views:
    """Stands in for `hub.views.LiveViews`: `devices` is what the core knows right now."""

    def __init__(self) -> None:
        self.devices: dict[str, dict] = {}
        self.summaries = 0

    def device(self, device_id: str) -> dict | None:
        return self.devices.get(device_id)

    def summary(self, computed: SummaryComputed) -> dict:
        self.summaries += 1
        return {"ts": computed.summary.ts, "device_power_w": computed.device_power_w}


def relay(clock: Clock | None = None) -> Relay:
    return Relay(Views(), clock or Clock())  # type: ignore[arg-type]


def summary(relay: Relay, ts: float, **device_power_w: float) -> None:
    """A summary as the core computes it; "sun" is the only producer."""
    generation = device_power_w.get("sun", 0.0)
    load = sum(device_power_w.values()) - generation
    figures = Summary(
        ts=ts, power_w=load - generation, import_w=max(0.0, load - generation),
        export_w=max(0.0, generation - load), energy_today_wh=0.0, cost_today=0.0,
        currency="GBP", tariff_rate=0.25, devices_online=1, devices_total=1,
        load_w=load, generation_w=generation, battery_w=0.0,
    )  # fmt: skip
    relay.handle(SummaryComputed(figures, 0.0, device_power_w))


def reading(device_id: str, ts: float, power_w: float) -> ReadingTaken:
    state = State(ts=ts, seq=int(ts), on=True, power_w=power_w, energy_wh=1.5, phase="on")
    return ReadingTaken(device_id, state, ts)


def test_a_snapshot_keeps_one_frame_per_step_with_every_figure_of_that_instant():
    clock = Clock()
    live = relay(clock)
    for second in range(12):  # a summary a second for 12 s
        summary(live, 5e8 + second, kettle=float(second), sun=100.0)
        clock.now += 1.0
    frames = live.series()
    assert frames["t"] == [5e8, 5e8 + 5, 5e8 + 10]
    assert frames["device_power_w"] == {"kettle": [0.0, 5.0, 10.0], "sun": [100.0] * 3}
    assert frames["load_w"] == [0.0, 5.0, 10.0]
    assert frames["generation_w"] == [100.0] * 3
    assert frames["power_w"] == [-100.0, -95.0, -90.0]


def test_a_device_that_joins_or_leaves_reads_zero_where_it_drew_nothing():
    clock = Clock()
    live = relay(clock)
    summary(live, 1.0, fridge=80.0)
    clock.now += SNAPSHOT_STEP_S
    summary(live, 6.0, fridge=80.0, kettle=2000.0)
    clock.now += SNAPSHOT_STEP_S
    summary(live, 11.0, kettle=2000.0)
    frames = live.series()
    assert frames["device_power_w"] == {
        "fridge": [80.0, 80.0, 0.0],
        "kettle": [0.0, 2000.0, 2000.0],
    }
    for i, net in enumerate(frames["power_w"]):  # every frame still adds up
        assert net == sum(column[i] for column in frames["device_power_w"].values())


def test_frames_older_than_the_window_are_left_out_and_memory_is_capped():
    clock = Clock()
    live = relay(clock)
    steps = MAX_POINTS + 50
    for step in range(steps):
        summary(live, float(step + 1), meter=float(step))
        clock.now += SNAPSHOT_STEP_S
    frames = live._frames
    lengths = {len(frames.seen), len(frames.devices["meter"]), *map(len, frames.home.values())}
    assert lengths == {MAX_POINTS}
    series = live.series()
    assert len(series["t"]) == int(WINDOW_S / SNAPSHOT_STEP_S)
    assert series["device_power_w"]["meter"][-1] == steps - 1  # the newest is always there


def test_a_forgotten_device_leaves_the_snapshot():
    live = relay()
    summary(live, 1.0, old=5.0)
    live.handle(DeviceChanged("old", "forgotten"))
    assert live.series()["device_power_w"] == {}


def test_nothing_piles_up_until_someone_listens_but_the_frames_are_kept():
    live = relay()
    live.handle(reading("kettle", 1.0, 5.0))
    live.handle(DeviceChanged("kettle", "discovered"))
    summary(live, 1.0, kettle=5.0)
    live.drained()
    batch = live.drain()
    assert (batch.readings, batch.devices, batch.summary) == ([], [], None)
    assert live.views.summaries == 0  # type: ignore[attr-defined]  # no view taken for nobody
    assert live.series()["device_power_w"] == {"kettle": [5.0]}


def test_a_batch_holds_the_pages_payloads_and_the_newest_summary():
    live = relay()
    live.listening = True
    live.handle(reading("kettle", 2.0, 6.0))
    alert = Alert(
        id="total-power-high:1", rule="total-power-high", device=None, level="warning",
        state="raised", value=3100.0, threshold=3000.0, ts=2.0, message="high",
    )  # fmt: skip
    live.handle(AlertChanged(alert))
    summary(live, 2.0, kettle=6.0)
    summary(live, 3.0, kettle=7.0)
    batch = live.drain()
    assert batch.readings == [
        {"id": "kettle", "ts": 2.0, "power_w": 6.0, "on": True, "phase": "on",
         "level": None, "energy_wh": 1.5},
    ]  # fmt: skip
    assert batch.alerts == [alert.to_dict()]
    assert batch.summary == {"ts": 3.0, "device_power_w": {"kettle": 7.0}}
    assert live.drain() == type(batch)([], [], [], None)


def test_a_device_is_viewed_once_a_round_after_its_readings_and_once_a_batch():
    live = relay()
    views: Views = live.views  # type: ignore[assignment]
    live.listening = True
    live.handle(DeviceChanged("lamp", "discovered"))
    live.handle(DeviceChanged("lamp", "status"))
    live.handle(reading("lamp", 1.0, 60.0))
    views.devices["lamp"] = {"id": "lamp", "power_w": 60.0}  # the core, as the round ends
    live.drained()
    views.devices["lamp"] = {"id": "lamp", "power_w": 0.0, "status": "offline"}
    live.handle(DeviceChanged("lamp", "status"))
    live.handle(DeviceChanged("old", "forgotten"))
    live.drained()
    assert live.drain().devices == [
        {"id": "lamp", "power_w": 0.0, "status": "offline"},
        {"id": "old", "removed": True},
    ]
    live.drained()
    assert live.drain().devices == []


def test_once_stopped_the_relay_tells_its_task_to_end():
    live = relay()
    assert live.wait(0.001)
    live.stop()
    assert not live.wait(10)  # at once


def test_a_device_viewed_in_this_batch_that_reads_again_is_viewed_again():
    live = relay()
    views: Views = live.views  # type: ignore[assignment]
    live.listening = True
    views.devices["lamp"] = {"id": "lamp", "power_w": 0.0, "on": None}  # online, no reading yet
    live.handle(DeviceChanged("lamp", "status"))
    live.drained()
    live.handle(reading("lamp", 1.0, 60.0))  # a later round, the same batch
    views.devices["lamp"] = {"id": "lamp", "power_w": 60.0, "on": True}
    live.drained()
    batch = live.drain()
    assert [r["power_w"] for r in batch.readings] == [60.0]
    assert batch.devices == [{"id": "lamp", "power_w": 60.0, "on": True}]
    live.handle(reading("lamp", 2.0, 61.0))  # no view pending: the reading is enough
    live.drained()
    assert live.drain().devices == []
