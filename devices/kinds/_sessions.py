"""Sessions: spans of time during which a person uses an appliance (TV, computer, lights).

Kettles and ovens run a program that ends by itself; a TV, a computer or the
lights of a room instead stay in use for as long as someone is watching,
working or at home. A `Session` is just the time that span ends: a scheduled
use or a person's ON prolongs it, a person's OFF ends it at once. `resume`
lets a model that starts in the middle of a scheduled use (a process started
at 20:00) join it, so the trajectory depends only on the seed and the
calendar, not on when the model happened to start.
"""

import math
from datetime import datetime, timedelta

from devices.occupant import UsageSchedule


class Session:
    """When the current session of use ends; no session runs before the first start."""

    def __init__(self) -> None:
        self.end = -math.inf

    def running(self, t: float) -> bool:
        return t < self.end

    def extend(self, t: float, duration_s: float) -> None:
        """Run until at least `t + duration_s`: a use starting during another one prolongs it."""
        self.end = max(self.end, t + duration_s)

    def stop(self) -> None:
        self.end = -math.inf

    def resume(self, schedule: UsageSchedule | None, t: float) -> None:
        """Join a scheduled use that started before `t` and is still under way at `t`."""
        if schedule is None:
            return
        today = datetime.fromtimestamp(t, schedule.tz).date()
        for day in (today - timedelta(days=1), today):
            for use in schedule.uses_on(day):
                if use.start < t < use.start + use.duration_s:
                    self.end = max(self.end, use.start + use.duration_s)
