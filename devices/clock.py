"""Simulation time for a device process.

The hub may publish a retained clock (`home/hub/clock`) so that a whole home
runs a day in a minute; every device then follows it. Without one, a device
runs on its own clock at `--speed` (1 = wall-clock time).
"""

from protocol import Clock


class SimClock:
    """Maps real time to simulation time; owned by one thread, so it needs no lock."""

    def __init__(self, local_speed: float, real_now: float):
        self.local_speed = local_speed
        self._clock = Clock(sim_epoch=real_now, real_epoch=real_now, speed=local_speed)
        self.following_hub = False

    @property
    def speed(self) -> float:
        return self._clock.speed

    def now(self, real_now: float) -> float:
        return self._clock.sim_time(real_now)

    def follow(self, hub_clock: Clock | None, real_now: float) -> bool:
        """Adopt the hub's clock, or (None) go back to the local one; True when time changed.

        Leaving the hub's clock continues from the current simulation time rather
        than jumping back to wall-clock time, so models see no time reversal.
        """
        if hub_clock is None:
            if not self.following_hub:
                return False
            sim_now = self.now(real_now)
            self._clock = Clock(sim_epoch=sim_now, real_epoch=real_now, speed=self.local_speed)
            self.following_hub = False
            return True
        changed = hub_clock != self._clock
        self._clock = hub_clock
        self.following_hub = True
        return changed
