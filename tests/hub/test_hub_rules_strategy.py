"""The rules strategy (hub.core.rules): battery to auto once, a program in its cheapest
window, the car from the surplus and its cheapest hours when the target needs them, boosts
on a lasting surplus or a cheap slot; each command once, driven only by the t given."""

import dataclasses
import datetime as dt
import functools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.actions import Action
from hub.core.prices import PriceSeries, price_series
from hub.core.rules import DeviceView, Observation, RulesSettings, RulesStrategy
from hub.core.settings import AgileLike, TariffConfig
from protocol import Meta, PriceSlot, State
from testkit.configs import ECONOMY_7_LOW_FEED_IN, ECONOMY_7_TARIFF

LONDON = ZoneInfo("Europe/London")
RULES = RulesSettings(zone=LONDON)
FLAT = TariffConfig()  # one rate all day


def at(day: int, hour: int, minute: int = 0) -> float:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=LONDON).timestamp()


@functools.cache
def series(tariff: TariffConfig) -> PriceSeries:
    return price_series(tariff, LONDON)


def prices(tariff: TariffConfig, t: float) -> tuple[PriceSlot, ...]:
    """The slots of the next 36 h; every tariff here changes price only on the half hour."""
    return _prices(tariff, int(t // 1800))


@functools.lru_cache(maxsize=4096)
def _prices(tariff: TariffConfig, half_hour: int) -> tuple[PriceSlot, ...]:
    t = half_hour * 1800.0
    return tuple(series(tariff).slots(t, t + 36 * 3600))


@functools.cache
def meta(device_id: str, kind: str, rated_w: float, **extra) -> Meta:
    return Meta(
        id=device_id,
        name=device_id,
        kind=kind,
        role=extra.pop("role", "consumer"),
        rated_w=rated_w,
        standby_w=0,
        dimmable=False,
        interval_s=2,
        priority=3,
        sw="test",
        **extra,
    )


def state(t: float, phase: str, power_w: float = 0.0, on: bool = True, **extra) -> State:
    return State(ts=t, seq=1, on=on, power_w=power_w, energy_wh=0, phase=phase, **extra)


def battery(t: float, mode: str, soc: float = 50.0, power_w: float = 0.0) -> DeviceView:
    described = meta(
        "battery", "battery", 2500, role="storage", capacity_wh=10000, max_charge_w=2500
    )
    reading = state(t, "idle", discharge_w=0, soc_pct=soc, mode=mode, power_w=power_w)
    return DeviceView(described, reading)


def washer(t: float, phase: str, finish_by: float | None = None, program_s: float = 7200):
    loaded = {"finish_by": finish_by, "program_s": program_s} if finish_by else {}
    return DeviceView(
        meta("washer", "washing_machine", 2000, deferrable=True), state(t, phase, **loaded)
    )


def heater(t: float, phase: str = "idle", power_w: float = 0.0, on: bool = True) -> DeviceView:
    described = meta("water-heater", "water_heater", 3000, flexible=("boost",))
    return DeviceView(described, state(t, phase, power_w, on))


def look(t: float, *devices: DeviceView, net_w: float = 0.0, tariff=ECONOMY_7_TARIFF):
    return Observation(t=t, net_w=net_w, prices=prices(tariff, t), devices=devices)


# -- battery --------------------------------------------------------------------------


def test_a_battery_is_sent_to_auto_once_not_every_tick():
    rules, t = RulesStrategy(RULES), at(2, 12)
    first = rules.decide(look(t, battery(t, "hold")))
    assert [(a.device, a.command) for a in first] == [("battery", {"mode": "auto"})]
    assert "self-consumption" in first[0].why
    for k in range(1, 30):  # the state still shows the old mode for a while: no repeat
        assert rules.decide(look(t + k, battery(t + k, "hold"))) == []
    assert rules.decide(look(t + 30, battery(t + 30, "auto"))) == []
    # changed later (a third party): asked once more
    assert len(rules.decide(look(t + 60, battery(t + 60, "charge")))) == 1
    assert rules.decide(look(t + 61, battery(t + 61, "charge"))) == []


def test_a_battery_charges_from_the_grid_in_the_cheapest_hours_that_fill_it():
    """Economy 7: 0.09 at night against 0.30 by day. Half empty, 10 kWh at 2.5 kW needs
    2 h: the last two hours of the night (evcc's later-first), full power; auto after.
    Before them it holds its charge for the day rather than spend it on the night's."""
    rules = RulesStrategy(RULES)
    (hold,) = rules.decide(look(at(2, 1), battery(at(2, 1), "auto")))
    assert hold.command == {"mode": "hold"}
    assert hold.why == "keeps its charge for 0.30/kWh later: the grid is 0.09 now"
    charge = rules.decide(look(at(2, 5, 30), battery(at(2, 5, 30), "auto")))
    assert [a.command for a in charge] == [{"mode": "charge", "power_w": 2500}]
    assert "0.09/kWh against 0.30" in charge[0].why
    assert rules.decide(look(at(2, 6), battery(at(2, 6), "charge", soc=70))) == []
    back = rules.decide(look(at(2, 7, 30), battery(at(2, 7, 30), "charge", soc=99.5)))
    assert [a.command for a in back] == [{"mode": "auto"}]
    flat = RulesStrategy(RULES)  # nothing cheaper ahead: never from the grid
    assert flat.decide(look(at(2, 1), battery(at(2, 1), "auto"), tariff=FLAT)) == []


def test_a_battery_holding_for_the_day_still_stores_a_surplus_and_does_not_flap():
    rules = RulesStrategy(RULES)
    (hold,) = rules.decide(look(at(2, 1), battery(at(2, 1), "auto")))
    assert hold.command == {"mode": "hold"}
    (store,) = rules.decide(look(at(2, 1, 1), battery(at(2, 1, 1), "hold"), net_w=-800))
    assert store.command == {"mode": "auto"}
    # storing the surplus, the meter reads 0: the battery's own 800 W shows it is still there
    storing = battery(at(2, 1, 2), "auto", power_w=800)
    assert rules.decide(look(at(2, 1, 2), storing, net_w=0)) == []


def two_peaks(t0: float) -> tuple[PriceSlot, ...]:
    """From t0 (17:00): today's peak at 0.29 for an hour, a night at 0.09 from 23:00 to
    07:00, 0.15 by day, and tomorrow's dearer peak at 0.37 at 17:00."""

    def price(hour: float) -> float:
        if hour < 1 or 24 <= hour < 25:
            return 0.37 if hour >= 24 else 0.29
        return 0.09 if 6 <= hour < 14 else 0.15

    return tuple(
        PriceSlot(
            start=t0 + k * 1800,
            end=t0 + (k + 1) * 1800,
            import_price=price(k / 2),
            export_price=0.05,
            co2_g_per_kwh=200.0,
        )
        for k in range(60)
    )


def test_a_dearer_peak_tomorrow_does_not_lock_the_charge_past_tonights_cheap_refill():
    """Spent at today's peak (0.29), the charge is bought again tonight at 0.09 (0.13
    with the round trip and the wear) before tomorrow's 0.37: it is spent now; in the
    evening after the peak (0.15) too, as 0.15 beats the refill; at night it holds."""
    t0, rules = at(2, 17), RulesStrategy(RULES)

    def look_at(t: float, mode: str = "auto") -> Observation:
        return Observation(t, net_w=600.0, prices=two_peaks(t0), devices=(battery(t, mode),))

    (spend,) = rules.decide(look_at(t0, "hold"))
    assert spend.command == {"mode": "auto"}
    assert rules.decide(look_at(at(2, 19))) == []  # still spending: nothing new to say
    (hold,) = rules.decide(look_at(at(2, 23, 30)))
    assert hold.command == {"mode": "hold"}
    assert hold.why == "keeps its charge for 0.37/kWh later: the grid is 0.09 now"


def test_grid_charging_leaves_the_home_under_the_import_limit():
    """A car drawing 7 kW under a 9 kW limit leaves 2 kW: the battery charges at that (in
    500 W steps), and holds when there is no room."""
    rules = RulesStrategy(dataclasses.replace(RULES, import_limit_w=9000.0))
    (charge,) = rules.decide(look(at(2, 5, 30), battery(at(2, 5, 30), "auto"), net_w=7300))
    assert charge.command == {"mode": "charge", "power_w": 1500}
    full = RulesStrategy(dataclasses.replace(RULES, import_limit_w=9000.0))
    (hold,) = full.decide(look(at(2, 5, 30), battery(at(2, 5, 30), "auto"), net_w=8800))
    assert hold.command == {"mode": "hold"}


def test_a_battery_already_in_auto_gets_no_command():
    rules, t = RulesStrategy(RULES), at(2, 12)
    assert all(rules.decide(look(t + k, battery(t + k, "auto"))) == [] for k in range(10))


# -- deferrable programs --------------------------------------------------------------


def test_a_loaded_machine_starts_in_the_cheapest_window_that_finishes_in_time():
    rules, t = RulesStrategy(RULES), at(2, 20)  # loaded at 20:00, wanted by 06:00
    finish_by = at(3, 6)
    (action,) = rules.decide(look(t, washer(t, "ready", finish_by)))
    assert action.command == {"start_at": at(3, 0, 30)}  # the night rate begins
    assert action.why == "cheapest 2 h before 06:00 (0.090/kWh)"
    for k in range(1, 100):
        assert rules.decide(look(t + k, washer(t + k, "ready", finish_by))) == []


def test_a_machine_running_or_not_loaded_gets_no_command():
    rules, t = RulesStrategy(RULES), at(2, 20)
    assert rules.decide(look(t, washer(t, "idle"))) == []
    assert rules.decide(look(t + 1, washer(t + 1, "wash", at(3, 6)))) == []


def test_the_next_load_gets_its_own_command():
    rules, t = RulesStrategy(RULES), at(2, 20)
    assert len(rules.decide(look(t, washer(t, "ready", at(3, 6))))) == 1
    assert rules.decide(look(t + 60, washer(t + 60, "wash", at(3, 6)))) == []
    t2 = at(3, 9)
    (again,) = rules.decide(look(t2, washer(t2, "ready", at(3, 19))))
    assert again.command == {"on": True}  # the day rate all the way to 19:00: start now


def test_a_best_start_of_now_switches_the_machine_on():
    rules, t = RulesStrategy(RULES), at(3, 1)  # inside the night rate
    (action,) = rules.decide(look(t, washer(t, "ready", at(3, 7))))
    assert action.command == {"on": True}


def test_a_load_with_no_room_left_is_left_to_start_itself():
    rules, t = RulesStrategy(RULES), at(3, 1)
    assert rules.decide(look(t, washer(t, "ready", t + 7000, program_s=7200))) == []


# -- the car --------------------------------------------------------------------------


@dataclasses.dataclass
class Car:
    """The car as the charger models it, simplified: full power in `now`, the surplus above
    the 6 A minimum in `pv`, stopping at the target."""

    soc: float
    target: float
    departure: float
    mode: str = "now"
    capacity_wh: float = 60000.0
    rated_w: float = 7400.0

    def view(self, t: float) -> DeviceView:
        described = meta("car", "ev_charger", self.rated_w)
        reading = state(
            t,
            "plugged",
            plugged=True,
            soc_pct=self.soc,
            target_soc=self.target,
            departure=self.departure,
            mode=self.mode,
        )
        return DeviceView(described, reading)

    def charge(self, dt_s: float, surplus_w: float) -> float:
        """Charge for dt_s; the power drawn."""
        if self.soc >= self.target:
            return 0.0
        offer = {"now": self.rated_w, "pv": surplus_w if surplus_w >= 1387 else 0.0}
        power = min(self.rated_w, offer.get(self.mode, 0.0))
        self.soc = min(self.target, self.soc + power * dt_s * 0.9 / self.capacity_wh / 36)
        return power


def drive(rules: RulesStrategy, car: Car, t0: float, tariff, step_s: float = 60.0):
    """Run the car from t0 to its departure under the rules; the (t, mode) of each command
    and the times it charged at full power."""
    commands, charged_at = [], []
    t = t0
    while t < car.departure:
        for action in rules.decide(look(t, car.view(t), tariff=tariff)):
            assert action.device == "car"
            car.mode = action.command["mode"]
            commands.append((t, car.mode, action.why))
        if car.charge(step_s, 0.0) > 0:
            charged_at.append(t)
        t += step_s
    return commands, charged_at


def test_a_car_that_needs_the_grid_charges_in_the_cheapest_hours_before_departure():
    rules = RulesStrategy(RULES)
    car = Car(soc=30, target=80, departure=at(3, 7, 30))
    commands, charged_at = drive(rules, car, at(2, 18), ECONOMY_7_LOW_FEED_IN)
    assert car.soc == pytest.approx(80)
    assert commands[0][:2] == (at(2, 18), "pv")
    assert "solar surplus until the cheapest 5 h before 07:30, from 02:30" in commands[0][2]
    assert [mode for _, mode, _ in commands] == ["pv", "now"]
    assert commands[1][0] == at(3, 2, 30)
    assert commands[1][2] == "cheapest 5 h before 07:30 (0.090/kWh)"
    assert all(at(3, 0, 30) <= t < at(3, 7, 30) for t in charged_at)


def test_a_target_out_of_reach_charges_at_full_power_at_once():
    rules = RulesStrategy(RULES)
    # 11 h needed, 7 h left; left in smart mode, which would wait for the night rate
    car = Car(soc=10, target=100, departure=at(3, 1), mode="smart")
    commands, charged_at = drive(rules, car, at(2, 18), ECONOMY_7_TARIFF)
    assert commands[0][:2] == (at(2, 18), "now")
    assert "full power" in commands[0][2]
    assert len(commands) == 1
    assert charged_at[0] == at(2, 18)


def test_minpv_can_be_the_cars_mode_outside_its_cheap_hours():
    rules = RulesStrategy(dataclasses.replace(RULES, ev_surplus_mode="minpv"))
    car = Car(soc=30, target=80, departure=at(3, 7, 30))
    commands, _ = drive(rules, car, at(2, 18), ECONOMY_7_LOW_FEED_IN)
    assert [mode for _, mode, _ in commands] == ["minpv", "now"]


def test_a_feed_in_above_the_night_rate_keeps_the_car_off_the_sun_until_its_hours():
    """Exporting at 0.15 pays more than the 0.09 night the car would otherwise charge in."""
    rules = RulesStrategy(RULES)
    car = Car(soc=30, target=80, departure=at(3, 7, 30))
    commands, charged_at = drive(rules, car, at(2, 18), ECONOMY_7_TARIFF)
    assert [mode for _, mode, _ in commands] == ["off", "now"]
    assert commands[0][2] == (
        "waits for the cheapest 5 h before 07:30, from 02:30: the sun exports at 0.150/kWh"
    )
    assert car.soc == pytest.approx(80)
    assert all(at(3, 0, 30) <= t < at(3, 7, 30) for t in charged_at)


def test_a_car_at_its_target_or_unplugged_gets_no_command():
    rules, t = RulesStrategy(RULES), at(2, 18)
    full = Car(soc=80, target=80, departure=at(3, 7, 30)).view(t)
    assert rules.decide(look(t, full)) == []
    gone = DeviceView(full.meta, state(t, "unplugged", plugged=False, mode="now"))
    assert rules.decide(look(t + 1, gone)) == []


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    soc=st.floats(5, 90),
    gain=st.floats(5, 90),
    plug_hour=st.integers(14, 22),
)
def test_any_feasible_target_is_met_by_departure_on_agile_prices(seed, soc, gain, plug_hour):
    target = min(100.0, soc + gain)
    car = Car(soc=soc, target=target, departure=at(3, 7, 30))
    t0 = at(2, plug_hour)
    need_s = (target - soc) / 100 * car.capacity_wh / 0.9 / car.rated_w * 3600
    if need_s > car.departure - t0:
        return  # not feasible even at full power from the start
    agile = TariffConfig(prices=AgileLike(seed))
    commands, _ = drive(RulesStrategy(RULES), car, t0, agile, step_s=300)
    assert car.soc >= target - 1e-9
    assert len(commands) <= 2 * (car.departure - t0) / RULES.piece_s + 1


# -- boosts ---------------------------------------------------------------------------


def test_a_lasting_surplus_boosts_once_and_its_end_stops_the_boost():
    rules, t0 = RulesStrategy(RULES), at(2, 12)
    actions = []
    for k in range(300):  # 3.5 kW exported for five minutes
        t = t0 + k
        boosting = any(a.command == {"boost": True} for _, a in actions)
        device = heater(t, "boost" if boosting else "idle", 3000 if boosting else 0)
        net_w = -3500 + (3000 if boosting else 0)
        actions += [(k, a) for a in rules.decide(look(t, device, net_w=net_w, tariff=FLAT))]
    assert [(k, a.command, a.why) for k, a in actions] == [(60, {"boost": True}, "surplus 3.5 kW")]
    actions = []
    for k in range(300, 600):  # a cloud: the surplus covers a third of the heater's draw
        t = t0 + k
        device = heater(t, "boost", 3000)
        actions += [(k, a) for a in rules.decide(look(t, device, net_w=2000, tariff=FLAT))]
    assert [(k, a.command) for k, a in actions] == [(480, {"boost": False})]


def test_a_surplus_flickering_around_the_heaters_power_never_boosts():
    rules, t0 = RulesStrategy(RULES), at(2, 12)
    for k in range(3600):
        net_w = -3200 if (k // 20) % 2 else -1000
        assert rules.decide(look(t0 + k, heater(t0 + k), net_w=net_w, tariff=FLAT)) == []


@settings(max_examples=60, deadline=None)
@given(
    readings=st.lists(st.tuples(st.floats(1, 20), st.floats(500, 4500)), min_size=1, max_size=300)
)
def test_a_noisy_surplus_sends_boost_commands_no_faster_than_the_delays(readings):
    """The heater boosts while told to; whatever the surplus does around its 3 kW, a boost
    comes at least the enable delay after the last stop, a stop at least the disable delay
    after the last boost."""
    rules, t = RulesStrategy(RULES), at(2, 12)
    boosting, last, commands = False, t, []
    for dt_s, surplus_w in readings:
        t += dt_s
        draw_w = 3000.0 if boosting else 0.0
        device = heater(t, "boost" if boosting else "idle", draw_w)
        for action in rules.decide(look(t, device, net_w=draw_w - surplus_w, tariff=FLAT)):
            boosting = action.command["boost"]
            assert t - last >= (RULES.enable_delay_s if boosting else RULES.disable_delay_s)
            last = t
            commands.append(action)
    span = t - at(2, 12)
    assert len(commands) <= 1 + 2 * span / (RULES.enable_delay_s + RULES.disable_delay_s)


def test_a_cheap_slot_boosts_once_at_its_start_and_a_flat_tariff_never():
    rules = RulesStrategy(RULES)
    boosts = []
    t = at(2, 22)
    while t < at(3, 9):
        boosts += [(t, a.command) for a in rules.decide(look(t, heater(t)))]
        t += 60
    assert boosts == [(at(3, 0, 30), {"boost": True})]
    flat = RulesStrategy(RULES)
    assert all(
        flat.decide(look(at(2, 22) + k * 60, heater(at(2, 22) + k * 60), tariff=FLAT)) == []
        for k in range(11 * 60)
    )


def test_two_heaters_do_not_jump_at_one_surplus():
    rules, t0 = RulesStrategy(RULES), at(2, 12)
    other = dataclasses.replace(
        heater(t0), meta=meta("other", "heat_pump", 3000, flexible=("boost",))
    )
    started = []
    for k in range(120):
        devices = (heater(t0 + k), dataclasses.replace(other, state=state(t0 + k, "idle")))
        started += rules.decide(look(t0 + k, *devices, net_w=-3500, tariff=FLAT))
    assert [a.device for a in started] == ["other"]


def test_a_switched_off_heater_is_not_boosted():
    rules, t0 = RulesStrategy(RULES), at(2, 12)
    for k in range(200):
        device = heater(t0 + k, "off", on=False)
        assert rules.decide(look(t0 + k, device, net_w=-4000, tariff=FLAT)) == []


# -- the strategy as a whole ----------------------------------------------------------


def test_a_device_gone_and_back_is_planned_afresh():
    rules, t = RulesStrategy(RULES), at(2, 12)
    assert len(rules.decide(look(t, battery(t, "hold")))) == 1
    assert rules.decide(look(t + 1)) == []
    assert len(rules.decide(look(t + 2, battery(t + 2, "hold")))) == 1


def test_time_going_backwards_is_refused_and_changes_nothing():
    rules, t = RulesStrategy(RULES), at(2, 12)
    rules.decide(look(t, heater(t), net_w=-3500, tariff=FLAT))
    with pytest.raises(ValueError, match="backwards"):
        rules.decide(look(t - 10, battery(t - 10, "hold")))
    for k in range(1, 60):
        assert rules.decide(look(t + k, heater(t + k), net_w=-3500, tariff=FLAT)) == []
    (boost,) = rules.decide(look(t + 60, heater(t + 60), net_w=-3500, tariff=FLAT))
    assert boost == Action("water-heater", t + 60, {"boost": True}, "surplus 3.5 kW")


def test_bad_observations_and_settings_are_refused():
    t = at(2, 12)
    with pytest.raises(ValueError, match="in order"):
        Observation(t=t, net_w=0, prices=list(reversed(prices(FLAT, t))) * 2, devices=())
    with pytest.raises(ValueError, match="twice"):
        Observation(t=t, net_w=0, prices=(), devices=(battery(t, "auto"), battery(t, "auto")))
    with pytest.raises(ValueError, match="finite"):
        Observation(t=float("nan"), net_w=0, prices=(), devices=())
    with pytest.raises(ValueError, match="ev_surplus_mode"):
        RulesSettings(ev_surplus_mode="now")
    with pytest.raises(ValueError, match="piece_s"):
        RulesSettings(piece_s=0)
