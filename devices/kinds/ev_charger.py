"""Home EV charger: the car plugged in after work, charged at constant power, then tapering.

Calibration (appliances.md): 7.4 kW single-phase 32 A (11 kW three-phase, 2.3 kW
from a plug via `rated_w`), 0 W standby, constant power until the battery is
nearly full then tapering, 40-60 kWh batteries.

The occupant comes home and plugs in on 70 % of weekdays between 17:30 and
19:30 (30 % of weekend days, 13:00-19:00), arriving with `arrival_soc` +/- 20 %
state of charge (30-70 % by default: a long commute; raise it for a short
one), and drives off at 07:30-08:30 on weekdays (half the weekend mornings,
10:00-12:00), charged or not: the scheduled uses before noon are departures.
The car takes the charger's full offer up to 80 % SoC (phase `charging`),
then its acceptance falls linearly to 10 % of `rated_w` at 100 % (phase
`tapering`), and the charge stops at `target_soc` (phase `plugged`).
`CHARGE_EFFICIENCY` of the energy drawn reaches the battery, so a 30 -> 90 %
session on 60 kWh draws 40 kWh from the grid and takes ~5.7 h at 7.4 kW.

`level` is the current the charger offers (IEC 61851 pilot signal): power is
at most `rated_w` x level / 100, and an offer below 6 A of the rated 32 A
pauses charging, as real cars do.

`mode` says when a plugged-in car charges, with evcc's names (protocol 1.1):
`now` at once (the default); `off` not at all; `pv` from the solar surplus only
and `minpv` at the car's minimum (6 A) plus the surplus, the surplus read from the
hub's summary (devices/kinds/_surplus.py: evcc's one-minute start and three-minute
stop delays); `smart` in the cheap hours: until the hub's energy manager plans the
charge, the charger keeps to its own off-peak timer (`offpeak`, local time,
Economy 7's 00:30-07:30 by default), as a car's scheduled charging does. A car
that may not charge now shows phase `waiting`. The timer is checked on the
model's tick grid, so the charge starts at the same moment whatever the reporting
rate. `set_mode`, `set_target_soc` and `set_departure` change them at run time;
`departure` is when the car is next needed: the occupant's next scheduled drive
unless a person said otherwise (an energy manager plans to it).

`on` is "a charge session is active": ON plugs a car in if none is (as a
person would in the demo) and lets it charge, at once in either mode (a person
pressing ON wants the car charged); OFF stops charging at once (the car stays
plugged in); the car driving away ends the session.
"""

import math
from datetime import datetime, time, timedelta
from typing import Any

from devices.appliance import Appliance
from devices.kinds._offpeak import OffpeakWindow, parse_window
from devices.kinds._surplus import SurplusFollower
from devices.occupant import WEEKDAYS, WEEKEND, Use, Window
from devices.params import ModelError, Param, ParamValue

TAPER_FROM = 0.8
TAPER_END = 0.1
"""The car's acceptance at 100 % SoC, as a fraction of `rated_w`."""
MIN_OFFER = 6 / 32
CHARGE_EFFICIENCY = 0.9
ARRIVAL_SPREAD = 0.2
DEPARTURES_BEFORE_HOUR = 12
CATCH_UP_STEP_S = 60.0
MODES = ("off", "now", "minpv", "pv", "smart")
EXTRA_COMMANDS = frozenset({"mode", "target_soc", "departure"})


class EvCharger(Appliance):
    kind = "ev_charger"
    summary = "EV charger, 7.4 kW until 80 % then tapering, car plugged in most evenings"
    default_priority = 5  # the car is needed in the morning, not now: shed it first
    dimmable = True
    extra_commands = EXTRA_COMMANDS
    follows_grid = True
    params = {
        "rated_w": Param(7400.0, "charging power, W (7.4 kW 1-phase, 11 kW 3-phase)", 1400, 22000),
        "battery_kwh": Param(60.0, "usable battery capacity, kWh", 5, 200),
        "target_soc": Param(90.0, "state of charge at which charging stops, %", 20, 100),
        "arrival_soc": Param(
            50.0, "typical state of charge when the car comes home, % (+/- 20)", 5, 95
        ),
        "mode": Param(
            "now",
            "when a plugged-in car charges (evcc's modes): now; off; pv, from the solar "
            "surplus; minpv, 6 A plus the surplus; smart, in the cheap hours (the offpeak "
            "timer until the hub's planner takes over)",
            choices=MODES,
        ),
        "offpeak": Param("00:30-07:30", "the charger's off-peak timer in smart mode, HH:MM-HH:MM"),
    }
    usage = (
        Window("17:30", "19:30", 0.7, days=WEEKDAYS),  # home from work
        Window("13:00", "19:00", 0.3, days=WEEKEND),
        Window("07:30", "08:30", 1.0, days=WEEKDAYS),  # off to work
        Window("10:00", "12:00", 0.5, days=WEEKEND),
    )

    @classmethod
    def prepare(cls, params: dict[str, ParamValue]) -> dict[str, Any]:
        return {**params, "offpeak": parse_window("offpeak", str(params["offpeak"]))}

    def setup(self, t: float) -> None:
        self.plugged = False
        self.boosted = False
        """A person's ON in smart mode: charge now, not at the timer."""
        self.mode = str(self.p["mode"])
        self.target_soc = float(self.p["target_soc"])
        self.departure_at: float | None = None
        """When a person said the car is next needed; None: the occupant's next drive."""
        self.offpeak = OffpeakWindow(*self.p["offpeak"], self.tz)
        self.surplus = SurplusFollower()
        self.soc = 0.0
        self._charged_to = t
        arrived = self._arrival_before(t)
        if arrived is not None:
            # the car came home before the model started: join its charge
            self._plug_in(arrived)
            while self._charged_to < t and self.soc < self.target:
                self._charge_until(min(t, self._charged_to + CATCH_UP_STEP_S))
            self._charged_to = t
        self._refresh()

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    @property
    def target(self) -> float:
        return self.target_soc / 100

    @property
    def minimum_w(self) -> float:
        """The least a car charges at: 6 A of the rated 32 A."""
        return self.rated_w * MIN_OFFER

    @property
    def waiting(self) -> bool:
        """Plugged in, but the mode does not let the car charge now."""
        return self.mode_offer_w(self._charged_to) == 0

    def mode_offer_w(self, t: float) -> float:
        """What the mode lets the charger offer at `t`, before `level` and the car."""
        if self.mode == "off":
            return 0.0
        if self.mode == "smart" and not (self.boosted or self.offpeak.is_open(t)):
            return 0.0
        if self.mode == "pv":
            return self.surplus.surplus_w if self.surplus.enabled else 0.0
        if self.mode == "minpv":
            return max(self.minimum_w, self.surplus.surplus_w)
        return self.rated_w

    def power(self) -> float:
        if not (self.on and self.plugged) or self.soc >= self.target:
            return 0.0
        offer = min(self.mode_offer_w(self._charged_to), self.rated_w)
        offer = min(offer, self.rated_w * (self.level if self.level is not None else 100.0) / 100)
        if offer < self.minimum_w:
            return 0.0
        acceptance = self.rated_w
        if self.soc > TAPER_FROM:
            fraction = (self.soc - TAPER_FROM) / (1 - TAPER_FROM)
            acceptance *= 1 - (1 - TAPER_END) * fraction
        return min(offer, acceptance)

    def departure(self) -> float | None:
        """When the plugged-in car is next needed: a person's word, else the next drive."""
        if not self.plugged:
            return None
        if self.departure_at is not None:
            return self.departure_at
        if self.schedule is None:
            return None
        use = self.schedule.next_use(self._charged_to)
        while use is not None and not self._is_departure(use.start):
            use = self.schedule.next_use(use.start)
        return use.start if use is not None else None

    def set_mode(self, mode: str, t: float) -> None:
        self.command_extra("mode", mode, t)

    def set_target_soc(self, percent: float, t: float) -> None:
        self.command_extra("target_soc", percent, t)

    def set_departure(self, when: str | float, t: float) -> None:
        """`HH:MM` (the next such local time) or a simulation timestamp after now."""
        self.command_extra("departure", when, t)

    def check_extra(self, key: str, value: Any) -> None:
        if key == "mode" and value not in MODES:
            raise ModelError(f"mode {value!r}: expected one of {', '.join(MODES)}")
        if key == "target_soc" and not 20 <= value <= 100:
            raise ModelError(f"target_soc must be between 20 and 100 %, got {value:g}")
        if key == "departure":
            self._departure_ts(value)
        if key not in self.extra_commands:
            super().check_extra(key, value)

    def apply_extra(self, key: str, value: Any, t: float) -> None:
        self._charge_until(t)
        if key == "mode":
            self.mode = str(value)
        elif key == "target_soc":
            self.target_soc = float(value)
        elif key == "departure":
            self.departure_at = self._departure_ts(value)
        self._refresh()
        self._power = self._checked_power()

    def state_fields(self) -> dict[str, Any]:
        """The car's charge only while it is plugged in: a charger learns it from the car
        over the cable, so once the car has driven off it knows none (`soc_pct` is left
        out, as `departure` is), rather than passing off the charge it left with as now."""
        departure = self.departure()
        return {
            "plugged": self.plugged,
            "soc_pct": round(100 * self.soc, 2) if self.plugged else None,
            "mode": self.mode,
            "departure": None if departure is None else round(departure, 3),
            "target_soc": self.target_soc,
        }

    def _departure_ts(self, when: str | float) -> float:
        t = self.now
        if isinstance(when, str):
            try:
                at = time.fromisoformat(when)
            except ValueError:
                raise ModelError(f"departure {when!r}: expected HH:MM or a timestamp") from None
            local = datetime.fromtimestamp(t, self.tz)
            moment = datetime.combine(local.date(), at, self.tz)
            if moment.timestamp() <= t:
                moment = datetime.combine(local.date() + timedelta(days=1), at, self.tz)
            return moment.timestamp()
        if when <= t:
            raise ModelError(f"departure {when:.0f} is not after now ({t:.0f})")
        return float(when)

    def follow_grid(self, net_w: float, t: float) -> None:
        """The hub's summary at `t`: the home's net grid power, this charger's draw in it."""
        self.advance_to(t)
        self._charge_until(self.now)
        self.surplus.observe(self.power_w, net_w, self.minimum_w, self.now)
        self._refresh()
        self._power = self._checked_power()

    def update(self, t: float, dt: float) -> None:
        self._charge_until(t + dt)
        self._refresh()

    def next_change(self, t: float) -> float:
        """Charging at a steady power: the tick before the taper or the target; tapering,
        every tick; the off-peak timer's next edge in `smart`; nothing while no charge may
        run (the surplus of `pv` comes with the summaries, the car with its use)."""
        if not (self.on and self.plugged) or self.soc >= self.target:
            return math.inf
        change = math.inf
        if self.mode == "smart" and not self.boosted:
            change = self.tick_reaching(self.offpeak.next_edge(self._charged_to))
        if self.power_w > 0:
            if self.soc > TAPER_FROM:
                return super().next_change(t)
            rate = self.power_w * CHARGE_EFFICIENCY / (float(self.p["battery_kwh"]) * 3.6e6)
            full = self._charged_to + (min(TAPER_FROM, self.target) - self.soc) / rate
            change = min(change, self.tick_reaching(full - self.tick_s))
        return change

    def _charge_until(self, t: float) -> None:
        """Put the energy drawn since the last call into the battery."""
        joules = self.power() * (t - self._charged_to) * CHARGE_EFFICIENCY
        self.soc = min(1.0, self.soc + joules / (float(self.p["battery_kwh"]) * 3.6e6))
        self._charged_to = t

    def _refresh(self) -> None:
        if not self.plugged:
            self.phase = "unplugged"
        elif self.power() == 0:
            done = self.soc >= self.target or not self.on
            self.phase = "waiting" if self.waiting and not done else "plugged"
        else:
            self.phase = "tapering" if self.soc > TAPER_FROM else "charging"

    def _plug_in(self, t: float) -> None:
        self.plugged, self.on = True, True
        typical = float(self.p["arrival_soc"]) / 100
        self.soc = self.rng.uniform(
            max(0.0, typical - ARRIVAL_SPREAD), min(1.0, typical + ARRIVAL_SPREAD)
        )
        self._charged_to = t

    def _is_departure(self, t: float) -> bool:
        return datetime.fromtimestamp(t, self.tz).hour < DEPARTURES_BEFORE_HOUR

    def _arrival_before(self, t: float) -> float | None:
        """When the car came home, if that is the last scheduled use before `t`."""
        if self.schedule is None:
            return None
        today = datetime.fromtimestamp(t, self.tz).date()
        uses = [
            use.start
            for day in (today - timedelta(days=1), today)
            for use in self.schedule.uses_on(day)
            if use.start < t
        ]
        if not uses or self._is_departure(max(uses)):
            return None
        return max(uses)

    def start_use(self, use: Use, t: float) -> None:
        self._charge_until(t)
        if self._is_departure(use.start):
            self.plugged, self.on, self.boosted = False, False, False
            self.departure_at, self.surplus = None, SurplusFollower()
        elif not self.plugged:
            self._plug_in(t)
        self._refresh()

    def apply_switch(self, on: bool, t: float) -> None:
        self._charge_until(t)
        if on and not self.plugged:
            self._plug_in(t)
        # ON outside the timer is a person asking for a charge now; inside it (the hub
        # restoring a shed charge) the timer goes on deciding
        self.on, self.boosted = on, on and (self.boosted or not self.offpeak.is_open(t))
        self._refresh()

    def apply_level(self, level: float, t: float) -> None:
        self._charge_until(t)
        self.level = level
        self._refresh()
