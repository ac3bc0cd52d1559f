"""The energy plan as a mixed-integer programme: columns per slot, the rows that bind them.

Per slot t (length h_t hours, every power an average W over the slot):

    import_t + over_t - export_t = base_t - pv_t + charge_t - discharge_t
                                   + sum(car_t) + sum(boost_t) + sum(program starts x their W)

- the battery's stored Wh follows `s_t = s_(t-1) + h_t (leg x charge_t - discharge_t / leg)`
  within [min_soc, capacity] (leg = sqrt(round trip));
- a car draws 0 or [min_w, max_w] while plugged in before departure, and what reaches
  its battery plus a penalised shortfall covers what it lacks (soft: a target that
  cannot be met still gets a plan, the shortfall reported);
- a program is one binary per candidate start, exactly one chosen;
- a boost draws up to its energy in its window, each kWh not drawn costing what its heat
  is worth later (a shortfall at that price: drawn only where it is cheaper);
- import <= the fuse limit; `over_t` is import beyond it at a prohibitive penalty, so a
  forecast that alone breaks the limit still gets a plan (and says by how much).

Charging and discharging at once, or importing and exporting at once, burn energy;
that pays only where energy is worth less than nothing, so a binary forbids it in
exactly those slots: battery where the import cost or the export price is negative,
grid where the export price beats the import cost. Elsewhere the linear programme
never chooses it (burning energy cannot lower a non-negative cost), and a tiny
throughput cost breaks the ties when a price is exactly 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.core.planner.inputs import Boost, Car, PlanRequest
from hub.core.planner.milp import INF, Programme
from hub.core.planner.spread import available_fraction, candidate_starts, program_slot_w
from protocol import PriceSlot

OVER_LIMIT_PENALTY = 1000.0
"""Money per kWh imported beyond the fuse limit: only when nothing else can keep under it."""
THROUGHPUT_COST = 1e-4
"""Money per kWh through the battery: breaks ties, too small to change a real choice."""
SCALE = 1000.0
"""The objective is in thousandths of money: a W column over a half hour then costs
~1e-4 x price x SCALE, well above the solver's tolerances (1e-7), so a tie-break counts."""
SOONER_COST = 1e-5
"""Money per kWh a car (or a boost) draws for each hour later it draws it: among equally
cheap slots (Economy 7's flat night) the earliest, the same choice plan after plan, so a
rolling plan does not hop between ties every 15 minutes and a car interrupted late is
not caught out."""
NETTING_MARGIN = 1e-4
"""Money per kWh by which export is valued below import where `exact_export` is off, so
importing and exporting at once is never a tie the solver may pick."""


@dataclass
class EnergyTarget:
    """A car's or a boost's columns: W per slot (None where it may not draw) and shortfall."""

    device: str
    power: list[int | None]
    shortfall: int
    wanted_wh: float
    delivered_share: float
    """The share of what is drawn that counts towards `wanted_wh` (a car's efficiency)."""


@dataclass
class ProgramChoice:
    device: str
    starts: list[float]
    columns: list[int]
    slot_w: list[list[float]]
    """Per candidate start, the average W it adds to each slot."""


@dataclass
class Columns:
    """Where each quantity of the plan is among the programme's columns."""

    imports: list[int] = field(default_factory=list)
    over: list[int] = field(default_factory=list)
    exports: list[int] = field(default_factory=list)
    charge: list[int] = field(default_factory=list)
    discharge: list[int] = field(default_factory=list)
    stored: list[int] = field(default_factory=list)
    cars: list[EnergyTarget] = field(default_factory=list)
    boosts: list[EnergyTarget] = field(default_factory=list)
    programs: list[ProgramChoice] = field(default_factory=list)


def import_cost(request: PlanRequest, t: int) -> float:
    """Money per kWh imported in slot t: the price, plus the carbon at its weight."""
    slot = request.slots[t]
    return slot.import_price + request.co2_weight * slot.co2_g_per_kwh


def _scaled_kwh(slot: PriceSlot) -> float:
    """The kWh one W makes over `slot`, in the objective's scale: a price per kWh times
    this is a W column's cost."""
    return (slot.end - slot.start) / 3600.0 / 1000.0 * SCALE


def formulate(request: PlanRequest) -> tuple[Programme, Columns]:
    """The programme of `request` and where its columns are."""
    lp, cols = Programme(), Columns()
    battery = request.battery
    max_discharge = battery.max_discharge_w if battery else 0.0
    for t, slot in enumerate(request.slots):
        kwh = _scaled_kwh(slot)
        cost_in, price_out = import_cost(request, t), slot.export_price
        if not request.exact_export:  # a hair below import: never both in one slot
            price_out = min(price_out, cost_in - NETTING_MARGIN)
        cols.imports.append(lp.column(0.0, request.import_limit_w, kwh * cost_in))
        cols.over.append(lp.column(0.0, INF, kwh * (cost_in + OVER_LIMIT_PENALTY)))
        most_export = request.pv_w[t] + max_discharge
        cols.exports.append(lp.column(0.0, most_export, -kwh * price_out))
        if price_out > cost_in:
            exporting = lp.binary()
            lp.row(
                {cols.imports[t]: 1.0, exporting: request.import_limit_w},
                upper=request.import_limit_w,
            )
            lp.row({cols.exports[t]: 1.0, exporting: -most_export}, upper=0.0)
        if battery:
            cols.charge.append(lp.column(0.0, battery.max_charge_w, kwh * THROUGHPUT_COST))
            wear = THROUGHPUT_COST + battery.cycle_cost
            cols.discharge.append(lp.column(0.0, battery.max_discharge_w, kwh * wear))
            if min(cost_in, price_out) < 0:
                charging = lp.binary()
                lp.row({cols.charge[t]: 1.0, charging: -battery.max_charge_w}, upper=0.0)
                lp.row(
                    {cols.discharge[t]: 1.0, charging: battery.max_discharge_w},
                    upper=battery.max_discharge_w,
                )
    if battery:
        _battery_rows(lp, cols, request)
    cols.cars = [_car(lp, request, car) for car in request.cars if car.plugged]
    cols.boosts = [_boost(lp, request, boost) for boost in request.boosts]
    cols.programs = [_program(lp, request, i) for i in range(len(request.programs))]
    _balance_rows(lp, cols, request)
    return lp, cols


def _battery_rows(lp: Programme, cols: Columns, request: PlanRequest) -> None:
    battery = request.battery
    assert battery is not None
    initial = battery.capacity_wh * battery.soc_pct / 100.0
    # a battery already below its floor (own use) may stay there, not be forced up at once
    floor = min(initial, battery.capacity_wh * battery.min_soc_pct / 100.0)
    previous: int | None = None
    for t, slot in enumerate(request.slots):
        hours = (slot.end - slot.start) / 3600.0
        stored = lp.column(floor, battery.capacity_wh)
        terms = {
            stored: 1.0,
            cols.charge[t]: -hours * battery.leg,
            cols.discharge[t]: hours / battery.leg,
        }
        if previous is None:
            lp.row(terms, lower=initial, upper=initial)
        else:
            lp.row({**terms, previous: -1.0}, lower=0.0, upper=0.0)
        cols.stored.append(stored)
        previous = stored
    if battery.final_soc_pct is not None:
        # at most what charging at full power all the way could reach, so it stays feasible
        reachable = (
            initial + battery.leg * battery.max_charge_w * (request.end - request.start) / 3600
        )
        wanted = battery.capacity_wh * battery.final_soc_pct / 100.0
        lp.row({cols.stored[-1]: 1.0}, lower=min(wanted, reachable, battery.capacity_wh))


def _energy_target(
    lp: Programme,
    request: PlanRequest,
    device: str,
    windows: list[float],
    max_w: float,
    min_w: float,
    wanted_wh: float,
    share: float,
    penalty_per_kwh: float,
    sooner: bool = False,
) -> EnergyTarget:
    """Columns drawing up to `max_w` x each slot's window share, at least `min_w` x it when
    drawing at all, whose `share` of the energy plus a shortfall (costing `penalty_per_kwh`)
    covers `wanted_wh`."""
    power: list[int | None] = []
    delivered: dict[int, float] = {}
    for fraction, slot in zip(windows, request.slots, strict=True):
        if fraction <= 0 or wanted_wh <= 0:
            power.append(None)
            continue
        later_h = (slot.start - request.start) / 3600.0 if sooner else 0.0
        column = lp.column(0.0, max_w * fraction, _scaled_kwh(slot) * SOONER_COST * later_h)
        if min_w > 0:
            drawing = lp.binary()
            lp.row({column: 1.0, drawing: -max_w * fraction}, upper=0.0)
            lp.row({column: 1.0, drawing: -min_w * fraction}, lower=0.0)
        power.append(column)
        delivered[column] = share * (slot.end - slot.start) / 3600.0
    shortfall = lp.column(0.0, wanted_wh, penalty_per_kwh / 1000.0 * SCALE)
    lp.row({**delivered, shortfall: 1.0}, lower=wanted_wh)
    # a car stops at its target by itself: no more than it lacks, but its last slot may be
    # planned at the charger's minimum current even if less would do (it stops early)
    last_slot_wh = max((min_w * h for h in delivered.values()), default=0.0)
    lp.row(delivered, upper=wanted_wh + last_slot_wh)
    return EnergyTarget(device, power, shortfall, wanted_wh, share)


def _car(lp: Programme, request: PlanRequest, car: Car) -> EnergyTarget:
    since = car.plugged_from(request.start)
    windows = [available_fraction(since, car.departure, slot) for slot in request.slots]
    target = _energy_target(
        lp,
        request,
        car.device,
        windows,
        car.max_w,
        car.min_w,
        car.needed_wh,
        car.charge_efficiency,
        request.shortfall_penalty,
        sooner=True,
    )
    _taper_rows(lp, request, car, target, windows)
    return target


def _taper_rows(
    lp: Programme, request: PlanRequest, car: Car, target: EnergyTarget, windows: list[float]
) -> None:
    """Above its taper the car takes less the fuller it is: per slot, the draw is at most
    what the car accepts at its charge halfway through the slot. Acceptance falls in a
    straight line with the charge, and the charge is a sum of earlier draws, so the rows
    are linear: draw_t + slope x (stored before t + half of slot t's) <= intercept. Below
    the taper they allow more than `max_w` and bind nothing; a plan that ignored the
    taper would count on energy a nearly full car does not take."""
    if car.target_soc_pct <= car.taper_from_pct or car.taper_from_pct >= 100:
        return  # the target is below the taper: the car never slows
    slope_w_per_pct = car.taper_w_per_pct
    intercept = car.max_w + slope_w_per_pct * (car.taper_from_pct - car.soc_pct)
    pct_per_wh = 100.0 / car.capacity_wh * car.charge_efficiency
    before: dict[int, float] = {}
    for fraction, column, slot in zip(windows, target.power, request.slots, strict=True):
        if column is None:
            continue
        hours = (slot.end - slot.start) / 3600.0
        slope = fraction * slope_w_per_pct * pct_per_wh  # the draw is the slot's mean
        terms = {c: slope * h for c, h in before.items()}
        terms[column] = 1.0 + slope * hours / 2
        lp.row(terms, upper=intercept * fraction)
        before[column] = hours


def _boost(lp: Programme, request: PlanRequest, boost: Boost) -> EnergyTarget:
    windows = [available_fraction(boost.start, boost.end, slot) for slot in request.slots]
    # of equally cheap slots the earliest: heat stored sooner is there for the next use,
    # and plan after plan picks the same slot
    credit = boost.credit_per_kwh
    return _energy_target(
        lp, request, boost.device, windows, boost.max_w, 0.0, boost.energy_wh, 1.0, credit, True
    )


def _program(lp: Programme, request: PlanRequest, index: int) -> ProgramChoice:
    program = request.programs[index]
    earliest = max(program.ready_since, request.start)
    latest_end = min(program.finish_by, request.end)
    starts = candidate_starts(earliest, latest_end, program.duration_s, request.slots)
    columns = [lp.binary() for _ in starts]
    lp.row(dict.fromkeys(columns, 1.0), lower=1.0, upper=1.0)
    slot_w = [program_slot_w(program.profile, start, request.slots) for start in starts]
    return ProgramChoice(program.device, starts, columns, slot_w)


def _balance_rows(lp: Programme, cols: Columns, request: PlanRequest) -> None:
    for t in range(len(request.slots)):
        terms = {cols.imports[t]: 1.0, cols.over[t]: 1.0, cols.exports[t]: -1.0}
        if cols.charge:
            terms[cols.charge[t]] = -1.0
            terms[cols.discharge[t]] = 1.0
        for target in (*cols.cars, *cols.boosts):
            column = target.power[t]
            if column is not None:
                terms[column] = -1.0
        for choice in cols.programs:
            for column, slot_w in zip(choice.columns, choice.slot_w, strict=True):
                if slot_w[t]:
                    terms[column] = -slot_w[t]
        net = request.base_load_w[t] - request.pv_w[t]
        lp.row(terms, lower=net, upper=net)
