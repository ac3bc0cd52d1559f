"""Simulation time as the contract defines it, for any process that follows it.

The hub owns the home's clock: with `--speed` it publishes a retained one
(`home/hub/clock`) so that a whole home runs a day in a minute, and devices
follow it. Without one, a process runs on its own clock at its `--speed`
(1 = wall-clock time).
"""

from protocol.hub_payloads import Clock


class SimClock:
    """Maps real time to simulation time; owned by one thread, so it needs no lock."""

    def __init__(self, local_speed: float, real_now: float, sim_now: float | None = None):
        """A local clock at `local_speed`, reading `sim_now` (default: `real_now`) now."""
        self.local_speed = local_speed
        sim_epoch = real_now if sim_now is None else sim_now
        self._clock = Clock(sim_epoch=sim_epoch, real_epoch=real_now, speed=local_speed)
        self.following_hub = False

    @property
    def anchor(self) -> Clock:
        """The clock in force, as the contract's retained clock message states it."""
        return self._clock

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

    def follow_payload(self, payload: bytes, real_now: float) -> bool:
        """`follow` a retained clock message (empty = withdrawn); raises ProtocolError."""
        return self.follow(Clock.from_payload(payload) if payload.strip() else None, real_now)
