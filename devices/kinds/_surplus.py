"""Charging from the solar surplus as evcc's `pv` and `minpv` modes do.

The hub's summary says the home's net power at the grid meter; what the charger
itself draws is part of it, so the surplus it may use is its own draw minus the net
(the export there would be without it). evcc starts a `pv` charge only after the
surplus has stayed above the car's minimum for a minute and stops it only after it
has stayed below for three, so passing clouds do not switch the contactor every few
seconds; the same delays are used here. The follower is pure: the times are those of
the summaries it is given.
"""

ENABLE_S = 60.0
DISABLE_S = 180.0


class SurplusFollower:
    """Whether a `pv` charge runs, and the surplus it may take, from the net powers seen."""

    def __init__(self) -> None:
        self.surplus_w = 0.0
        self.enabled = False
        self._crossed_at: float | None = None
        """When the surplus last went to the other side of the minimum, if it is still there."""

    def observe(self, own_w: float, net_w: float, minimum_w: float, t: float) -> None:
        """A summary at `t`: the home's net power `net_w`, of which `own_w` is this charger."""
        self.surplus_w = max(0.0, own_w - net_w)
        other_side = (self.surplus_w >= minimum_w) != self.enabled
        if not other_side:
            self._crossed_at = None
            return
        if self._crossed_at is None:
            self._crossed_at = t
        if t - self._crossed_at >= (DISABLE_S if self.enabled else ENABLE_S):
            self.enabled, self._crossed_at = not self.enabled, None
