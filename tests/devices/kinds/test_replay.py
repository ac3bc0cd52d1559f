"""Replay: a recorded timestamp,power_w trace played back in step with the time of day,
interpolated between samples; every mistake in the file names its line."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from devices.kinds.replay import Replay
from devices.params import ModelError
from devices.simulate import simulate

LONDON = ZoneInfo("Europe/London")


def local(*args) -> float:
    return datetime(*args, tzinfo=LONDON).timestamp()


def write(tmp_path, text: str, name: str = "trace.csv") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.fixture
def day_trace(tmp_path):
    """A recorded winter day, hourly: 100 W, but 2000 W at 07:00 and 1000 W at 19:00."""
    rows = ["timestamp,power_w"]
    for hour in range(24):
        power = {7: 2000, 19: 1000}.get(hour, 100)
        rows.append(f"{local(2024, 1, 10, hour):.0f},{power}")
    return write(tmp_path, "\n".join(rows) + "\n")


def test_a_day_trace_plays_at_its_own_time_of_day_on_other_dates(day_trace):
    # summer time now, a different date: 07:00 local still plays the 07:00 sample
    trace = simulate("replay", 48, params={"file": day_trace}, start="2026-06-15T00:00")
    model = trace.model
    assert model.rated_w == 2000
    by_time = {s.t: s.power_w for s in trace.samples}
    for day in (15, 16):
        assert by_time[local(2026, 6, day, 7)] == pytest.approx(2000)
        assert by_time[local(2026, 6, day, 19)] == pytest.approx(1000)
        assert by_time[local(2026, 6, day, 3)] == pytest.approx(100)
        # linear between samples: halfway from 07:00 (2000 W) to 08:00 (100 W)
        assert by_time[local(2026, 6, day, 7, 30)] == pytest.approx(1050)
    # a day sampled hourly from 00:00 to 23:00 loops every 24 h, 23:00 leading into 00:00
    assert model.period_s == 86400
    assert trace.energy_wh == pytest.approx(2 * (22 * 100 + 2000 + 1000), rel=0.001)
    assert {s.phase for s in trace.samples} == {"playing"}


def test_iso_timestamps_and_a_short_trace_that_loops(tmp_path):
    path = write(
        tmp_path,
        "# a fridge, recorded in wall-clock time\n"
        "time,watts\n"
        "2024-03-01T10:00:00,0\n"
        "\n"
        "2024-03-01T10:10:00,120\n"
        "2024-03-01T10:20:00,0\n",
    )
    trace = simulate("replay", 2, params={"file": path}, start="2026-06-15T10:00")
    by_time = {s.t: s.power_w for s in trace.samples}
    assert trace.model.period_s == 1800
    assert by_time[local(2026, 6, 15, 10, 10)] == pytest.approx(120)
    assert by_time[local(2026, 6, 15, 10, 40)] == pytest.approx(120)  # 30 min later, again
    assert by_time[local(2026, 6, 15, 10, 5)] == pytest.approx(60)


def test_offsets_in_iso_timestamps_are_honoured(tmp_path):
    # 06:00Z is 07:00 in London in summer
    rows = "".join(f"2024-07-01T{h:02d}:00:00+00:00,{2000 if h == 6 else 0}\n" for h in range(24))
    trace = simulate("replay", 24, params={"file": write(tmp_path, rows)}, start="2026-07-01T00:00")
    peak = max(trace.samples, key=lambda s: s.power_w)
    assert datetime.fromtimestamp(peak.t, LONDON).hour == 7


def test_off_is_silent_at_once_and_on_plays_again(day_trace):
    model = simulate("replay", 7.5, params={"file": day_trace}, start="2026-06-15T00:00").model
    assert model.power_w > 1000
    model.switch(False, model.now + 1)
    assert (model.on, model.phase, model.power_w) == (False, "off", 0)
    model.switch(True, model.now)
    assert model.phase == "playing" and model.power_w > 1000


def test_the_file_parameter_is_required():
    with pytest.raises(ModelError, match=r"replay needs --param file=PATH"):
        Replay.create({}, 1, 0.0, LONDON)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "timestamp,power_w\n1700000000,5\n1700000060,abc\n",
            r"trace.csv:3: power_w 'abc' is not a number",
        ),
        (
            "1700000000,5\n1700000060,-2\n",
            r"trace.csv:2: power_w '-2' must be a finite number >= 0",
        ),
        ("1700000000,5\n1700000060,nan\n", r"trace.csv:2: power_w 'nan' must be"),
        ("1700000000,5\n1700000060,inf\n", r"trace.csv:2: power_w 'inf' must be"),
        ("1700000000,5\n1700000000,6\n", r"trace.csv:2: timestamp '1700000000' is not after"),
        ("1700000060,5\n1700000000,6\n", r"trace.csv:2: timestamp '1700000000' is not after"),
        ("1700000000,5\nyesterday,6\n", r"trace.csv:2: timestamp 'yesterday' is neither"),
        ("1700000000,5\n1700000060\n", r"trace.csv:2: expected timestamp,power_w"),
        ("timestamp,power_w\n1700000000,5\n", r"trace.csv: a trace needs at least 2 rows"),
        ("", r"trace.csv: a trace needs at least 2 rows"),
        ("2024-01-01T00:00,5\n2024-01-01T00:01+00:00,5\n", r"trace.csv:2: mixes timestamps"),
    ],
)
def test_a_malformed_file_names_the_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ModelError, match=message):
        Replay.create({"file": path}, 1, 0.0, LONDON)


def test_an_unreadable_file_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match=r"missing.csv: cannot read the trace"):
        Replay.create({"file": str(tmp_path / "missing.csv")}, 1, 0.0, LONDON)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ModelError, match=r"binary.csv: cannot read the trace"):
        Replay.create({"file": str(binary)}, 1, 0.0, LONDON)
