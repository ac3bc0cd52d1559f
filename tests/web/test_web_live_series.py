"""The live chart's series arithmetic (web/static/live-series.js), run in the system Chromium."""

import pytest

pytestmark = [pytest.mark.browser]


THIN = """async ([x, limit]) => {
  const { thinBefore } = await import("/live-series.js");
  const trace = { x: [...x], y: x.map((_, i) => i) };
  thinBefore(trace, limit);
  return trace;
}"""


def stamp(second: int) -> str:
    return f"2026-11-24 10:{second // 60:02d}:{second % 60:02d}.000"


def test_old_points_keep_the_last_of_each_ten_seconds(static_page):
    x = [stamp(s) for s in range(0, 40, 2)]  # every 2 s for 40 s
    trace = static_page.evaluate(THIN, [x, 15])  # thin the first 30 s, leave the rest
    kept = [stamp(8), stamp(18), stamp(28), *x[15:]]
    assert trace["x"] == kept
    assert trace["y"] == [x.index(t) for t in kept]  # each value stays with its time


EXTEND = """async ([trace, points, limit]) => {
  const { extend } = await import("/live-series.js");
  extend(trace, points, limit);
  return trace;
}"""


def test_a_trace_extended_keeps_its_newest_points_up_to_the_limit(static_page):
    trace = {"x": ["a", "b", "c"], "y": [1, 2, 3]}
    grown = static_page.evaluate(EXTEND, [trace, {"x": ["d"], "y": [4]}, 5])
    assert grown == {"x": ["a", "b", "c", "d"], "y": [1, 2, 3, 4]}
    capped = static_page.evaluate(EXTEND, [trace, {"x": ["d", "e", "f"], "y": [4, 5, 6]}, 4])
    assert capped == {"x": ["c", "d", "e", "f"], "y": [3, 4, 5, 6]}  # each value with its time


TRIM = """async ([x, cutoff, detail]) => {
  const { trimTrace } = await import("/live-series.js");
  const trace = { x: [...x], y: x.map((_, i) => i) };
  trimTrace(trace, cutoff, detail);
  return trace;
}"""


def test_a_trimmed_trace_loses_what_left_the_window_and_thins_what_is_old(static_page):
    x = [stamp(s) for s in range(0, 60, 2)]  # every 2 s for a minute
    trace = static_page.evaluate(TRIM, [x, stamp(20), stamp(40)])
    kept = [stamp(28), stamp(38), *x[20:]]  # none before 20 s, one per 10 s before 40 s
    assert trace["x"] == kept
    assert trace["y"] == [x.index(t) for t in kept]


def test_thinning_twice_changes_nothing_more(static_page):
    x = [stamp(s) for s in range(0, 60, 3)]
    once = static_page.evaluate(THIN, [x, len(x)])
    twice = static_page.evaluate(THIN, [once["x"], len(once["x"])])
    assert len(once["x"]) == 6
    assert twice["x"] == once["x"]


DEVICES = """new Map([["fridge", {role: "consumer"}], ["kettle", {role: "consumer"}],
                     ["roof", {role: "producer"}]])"""

SNAPSHOT = f"""async ([series, summary, ids]) => {{
  const {{ snapshotFrames }} = await import("/live-series.js");
  const frames = snapshotFrames(series, summary, {DEVICES}, ids);
  return {{ ...frames, byDevice: Object.fromEntries(frames.byDevice) }};
}}"""

FRAME = f"""async ([frame, drawn]) => {{
  const {{ TOTAL, framePoints }} = await import("/live-series.js");
  const points = framePoints(frame, {DEVICES}, drawn);
  return Object.fromEntries([...points].map(([id, w]) => [id === TOTAL ? "net" : id, w]));
}}"""

SERIES = {  # as web/live/relay.py sends it: roof makes 2 kW, the fridge and kettle draw
    "t": [100.0, 105.0, 110.0],
    "power_w": [-1900.0, 100.0, -1500.0],
    "load_w": [100.0, 2100.0, 500.0],
    "generation_w": [2000.0] * 3,
    "device_power_w": {"fridge": [100.0, 100.0, 500.0], "kettle": [0.0, 2000.0, 0.0],
                       "roof": [2000.0] * 3},
}  # fmt: skip


def net_is_the_stack(frames: dict) -> None:
    for i, net in enumerate(frames["net"]):
        assert net == sum(column[i] for column in frames["byDevice"].values()), i


def test_snapshot_frames_put_producers_below_zero_and_end_with_the_summary(static_page):
    summary = {"ts": 112.0, "power_w": -1200.0, "load_w": 800.0,
               "device_power_w": {"fridge": 800.0, "roof": 2000.0}}  # fmt: skip
    frames = static_page.evaluate(SNAPSHOT, [SERIES, summary, ["fridge", "kettle", "roof"]])
    assert frames["t"] == [100.0, 105.0, 110.0, 112.0]
    assert frames["byDevice"]["roof"] == [-2000.0] * 4
    assert frames["byDevice"]["kettle"] == [0.0, 2000.0, 0.0, 0.0]  # not in the summary: 0
    assert frames["net"] == [-1900.0, 100.0, -1500.0, -1200.0]
    assert frames["load"] == [100.0, 2100.0, 500.0, 800.0]
    net_is_the_stack(frames)


def test_snapshot_frames_fill_in_a_new_device_and_take_no_summary_twice(static_page):
    summary = {"ts": 110.0, "power_w": -1500.0, "load_w": 500.0, "device_power_w": {}}
    frames = static_page.evaluate(SNAPSHOT, [SERIES, summary, ["fridge", "roof", "heater"]])
    assert frames["t"] == [100.0, 105.0, 110.0]  # the summary is the last frame already
    assert frames["byDevice"]["heater"] == [0.0, 0.0, 0.0]
    assert frames["byDevice"]["fridge"] == [100.0, 100.0, 500.0]


def test_a_frame_gives_every_drawn_trace_a_point(static_page):
    frame = {"ts": 1.0, "power_w": -1500.0, "device_power_w": {"fridge": 500.0, "roof": 2000.0}}
    points = static_page.evaluate(FRAME, [frame, ["\u0000total", "fridge", "kettle"]])
    assert points == {"net": -1500.0, "fridge": 500.0, "kettle": 0, "roof": -2000.0}
