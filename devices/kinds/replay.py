"""Replay: plays back a recorded power trace, looping it in step with the time of day.

For a device that no model here describes, or to demo real data: a CSV of
`timestamp,power_w` rows (a header row allowed; blank lines and lines starting
with `#` skipped; further columns ignored), such as the hub's own export or
one column taken from UK-DALE or REDD. Timestamps are Unix seconds or ISO
8601; ISO times without an offset are wall-clock time, taken as-is.

`prepare` reads and checks the file once, when the model is created; a
mistake is a ModelError naming the file and line (`trace.csv:17: power_w
'abc' is not a number`), as is an unreadable file, fewer than two rows, a
negative or non-finite power or a timestamp not after the previous row's.

Playback. The trace loops with a period of its span plus its median sample
interval, so a day sampled every minute from 00:00 to 23:59 loops every 24 h
and the last sample leads back into the first. The loop is anchored so that
the trace's first sample plays when the simulation's local wall-clock time
matches the first sample's (Unix and offset times are read in the
simulation's time zone): a trace spanning whole days therefore always plays
at the same time of day it was recorded, whatever the date; one spanning
three hours simply repeats every three hours. Between samples the power is
interpolated linearly, sampled at each tick. `rated_w` is the trace's
maximum. ON plays, OFF is 0 W at once (phase `off`); ON resumes where the
clock has got to, as the trace is tied to the time of day.
"""

import csv
import itertools
import math
import statistics
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from devices.appliance import Appliance
from devices.params import ModelError, Param, ParamValue


def _parse_time(text: str) -> tuple[float, bool] | None:
    """(seconds, is wall-clock) for Unix seconds or ISO 8601, None when it is neither."""
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        return (value, False) if math.isfinite(value) else None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC).timestamp(), True
    return when.timestamp(), False


def load_trace(path: str) -> tuple[list[float], list[float], bool]:
    """(timestamps, powers, wall-clock?) from a CSV file; ModelError naming the line if bad."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            lines = list(enumerate(csv.reader(handle), start=1))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ModelError(f"{path}: cannot read the trace: {error}") from None
    times: list[float] = []
    powers: list[float] = []
    kinds: set[bool] = set()
    for number, row in lines:
        fields = [field.strip() for field in row]
        if not any(fields) or fields[0].startswith("#"):
            continue
        where = f"{path}:{number}"
        if len(fields) < 2:
            raise ModelError(f"{where}: expected timestamp,power_w, got {','.join(fields)!r}")
        stamp = _parse_time(fields[0])
        if stamp is None and not times and _number(fields[1]) is None:
            continue  # the header row
        if stamp is None:
            raise ModelError(
                f"{where}: timestamp {fields[0]!r} is neither Unix seconds nor ISO 8601"
            )
        power = _number(fields[1])
        if power is None:
            raise ModelError(f"{where}: power_w {fields[1]!r} is not a number")
        if not math.isfinite(power) or power < 0:
            raise ModelError(f"{where}: power_w {fields[1]!r} must be a finite number >= 0")
        kinds.add(stamp[1])
        if len(kinds) > 1:
            raise ModelError(f"{where}: mixes timestamps with and without a time zone")
        if times and stamp[0] <= times[-1]:
            raise ModelError(f"{where}: timestamp {fields[0]!r} is not after the previous row's")
        times.append(stamp[0])
        powers.append(power)
    if len(times) < 2:
        raise ModelError(f"{path}: a trace needs at least 2 rows of timestamp,power_w")
    return times, powers, kinds == {True}


@dataclass(frozen=True)
class Recording:
    """A checked trace, ready to play: what `prepare` hands the model."""

    offsets: list[float]
    """Seconds after the first sample, strictly increasing from 0."""
    powers: list[float]
    period_s: float
    first: float
    wall_clock: bool
    """Whether `first` is wall-clock time already (ISO without an offset)."""

    @classmethod
    def read(cls, path: str) -> "Recording":
        times, powers, wall_clock = load_trace(path)
        offsets = [t - times[0] for t in times]
        interval = statistics.median(b - a for a, b in itertools.pairwise(offsets))
        return cls(offsets, powers, offsets[-1] + interval, times[0], wall_clock)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


class Replay(Appliance):
    kind = "replay"
    summary = "plays back a recorded timestamp,power_w CSV trace, looped by time of day"
    starts_on = True
    params = {
        "file": Param("", "CSV file of timestamp,power_w rows to play back (required)"),
    }

    @classmethod
    def prepare(cls, params: dict[str, ParamValue]) -> dict[str, Any]:
        path = str(params["file"])
        if not path:
            raise ModelError("replay needs --param file=PATH")
        return {**params, "recording": Recording.read(path)}

    def setup(self, t: float) -> None:
        recording = cast(Recording, self.p["recording"])
        self.offsets, self.powers = recording.offsets, recording.powers
        self.period_s = recording.period_s
        # the first sample's wall-clock time, as seconds on the same scale as _wall()
        first = recording.first
        self.first_wall = first if recording.wall_clock else self._wall(first)
        self._refresh(t)

    @property
    def rated_w(self) -> float:
        return max(self.powers)

    def power(self) -> float:
        return self.playing_w if self.on else 0.0

    def update(self, t: float, dt: float) -> None:
        self._refresh(t + dt)

    def position_s(self, t: float) -> float:
        """Where in the trace (seconds after its first sample) the simulation is at `t`."""
        return (self._wall(t) - self.first_wall) % self.period_s

    def _wall(self, t: float) -> float:
        offset = datetime.fromtimestamp(t, self.tz).utcoffset()
        return t + (offset.total_seconds() if offset else 0.0)

    def _refresh(self, t: float) -> None:
        at = self.position_s(t)
        i = bisect_right(self.offsets, at) - 1
        start, p0 = self.offsets[i], self.powers[i]
        if i + 1 < len(self.offsets):
            end, p1 = self.offsets[i + 1], self.powers[i + 1]
        else:  # past the last sample: lead back into the first
            end, p1 = self.period_s, self.powers[0]
        self.playing_w = p0 + (p1 - p0) * (at - start) / (end - start)
        self.phase = "playing" if self.on else "off"

    def apply_switch(self, on: bool, t: float) -> None:
        self.on = on
        self._refresh(t)
