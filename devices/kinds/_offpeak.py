"""A daily off-peak window in local time, as a charger's or a timer socket's schedule.

Read every tick, it looks at the local clock only when the window opens or closes;
the window may cross midnight (00:30-07:30, or 22:00-08:30 for a night storage
heater) and keeps to local time across the clock changes.
"""

import math
from datetime import datetime, time, timedelta, tzinfo

from devices.params import ModelError


def parse_window(name: str, text: str) -> tuple[time, time]:
    """`HH:MM-HH:MM` as its two local times; a clear ModelError naming `name` otherwise."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ModelError(
            f"parameter {name}={text}: expected HH:MM-HH:MM, such as 00:30-07:30"
        ) from None
    if start == end:
        raise ModelError(f"parameter {name}={text}: the window's start and end must differ")
    return start, end


class OffpeakWindow:
    """Whether local time is inside [start, end) each day."""

    def __init__(self, start: time, end: time, tz: tzinfo) -> None:
        self.start, self.end, self.tz = start, end, tz
        self._open = False
        self._since, self._until = math.inf, -math.inf

    def is_open(self, t: float) -> bool:
        if not self._since <= t < self._until:
            self._look_up(t)
        return self._open

    def next_edge(self, t: float) -> float:
        """When the window next opens or closes after `t`."""
        self.is_open(t)
        return self._until

    def _look_up(self, t: float) -> None:
        today = datetime.fromtimestamp(t, self.tz).date()
        edges = sorted(
            (datetime.combine(today + timedelta(days=d), at, self.tz).timestamp(), opens)
            for d in (-1, 0, 1)
            for at, opens in ((self.start, True), (self.end, False))
        )
        self._since, self._open = max(edge for edge in edges if edge[0] <= t)
        self._until = min(at for at, _ in edges if at > t)
