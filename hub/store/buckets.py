"""Buckets of minutes for history charts, and the gaps where a series has no rows.

A chart cannot show more than one value per pixel column, so a span of more
minutes than the chart has points is cut into buckets of a few whole minutes
(at most half as many buckets as points) and each bucket is sent as its lowest
and its highest minute, in time order (one point where they are equal): the
outline the chart would draw from every minute, at no more points than it can
show, and a short peak (a kettle's 3 kW minute) survives. Where the span fits,
each minute is its own bucket.

A bucket with no row between two that have rows (a device offline or silent)
is a gap: the series gets a ``null`` there, so a chart breaks its line rather
than bridging the hours it knows nothing about.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Store queries pack a bucket's minute index into the low bits of an integer
# key (see `hub.store.queries.StoreQueries.device_rollup_buckets`).
MINUTE_BITS = 16


@dataclass(frozen=True)
class Buckets:
    """Buckets of `width` minutes over `minutes` minute starts from `first_minute` (Unix s).

    Minute index i (the minute ``first_minute + 60 * i``) is in bucket ``i // width``;
    with width 1 each minute is a bucket of its own.
    """

    first_minute: int
    minutes: int
    width: int

    @classmethod
    def for_span(cls, from_ts: float, to_ts: float, points: int) -> Buckets:
        """The buckets of the minutes starting in [from_ts, to_ts) for at most `points` points.

        Two points a bucket, so at most half as many buckets as points where the
        minutes do not fit, each as few whole minutes as that allows.
        """
        first = math.ceil(from_ts / 60.0) * 60
        minutes = max(0, math.ceil((to_ts - first) / 60.0))
        if minutes >= 1 << MINUTE_BITS:
            raise ValueError(f"{minutes} minutes do not fit in a bucket key")
        width = 1 if minutes <= points else math.ceil(minutes / max(1, points // 2))
        return cls(first, minutes, width)

    @property
    def full(self) -> bool:
        """Whether every minute is a bucket of its own (nothing is left out)."""
        return self.width == 1

    def of(self, minute: int) -> int:
        """The bucket the minute starting at `minute` falls in."""
        return (minute - self.first_minute) // 60 // self.width

    def start(self, bucket: int) -> int:
        """The first minute of `bucket`."""
        return self.first_minute + 60 * self.width * bucket


def with_gaps(buckets: Buckets, present: int, t: str, *columns: str) -> tuple[str, ...]:
    """The JSON arrays `t` and `columns`, with a point of ``null``s in each gap.

    `t` holds minute starts in time order, `present` says in how many buckets
    they fall; when those buckets run without a hole the texts come back as
    they are, which is the common case and costs no parsing. Each gap gets one
    point, at the start of its first empty bucket. Items of `columns` are
    copied as text, so numbers keep the form the store wrote them in.
    """
    if present < 2:
        return (t, *columns)
    first, last = int(t[1 : t.index(",")]), int(t[t.rindex(",") + 1 : -1])
    if buckets.of(last) - buckets.of(first) + 1 == present:
        return (t, *columns)
    times = t[1:-1].split(",")
    values = [column[1:-1].split(",") for column in columns]
    out_t: list[str] = []
    out_values: list[list[str]] = [[] for _ in columns]
    previous: int | None = None
    for index, item in enumerate(times):
        bucket = buckets.of(int(item))
        if previous is not None and bucket > previous + 1:
            out_t.append(str(buckets.start(previous + 1)))
            for out in out_values:
                out.append("null")
        previous = bucket
        out_t.append(item)
        for out, column in zip(out_values, values, strict=True):
            out.append(column[index])
    return tuple(f"[{','.join(items)}]" for items in (out_t, *out_values))


def items_in(array: str) -> int:
    """How many items the JSON array text of numbers `array` holds."""
    return 0 if array == "[]" else array.count(",") + 1
