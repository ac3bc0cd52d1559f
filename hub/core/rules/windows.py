"""Where in the price series a need is cheapest: the cheapest pieces of time for a charge,
the cheapest start for a program of fixed length.

Only the import price counts: these are the rules' questions ("which hours cost least to
draw from the grid"), not the planner's programme. Time outside the slots given is
unknown and never chosen. Pure arithmetic on `PriceSlot`s in order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from protocol import PriceSlot

COST_TOLERANCE = 1e-9
"""Relative difference under which two windows cost the same (float sums of the same prices)."""


@dataclass(frozen=True)
class Piece:
    """A stretch of one slot, at most one piece length long, on the piece grid."""

    start: float
    end: float
    price: float

    @property
    def duration_s(self) -> float:
        return self.end - self.start


def pieces(slots: Sequence[PriceSlot], t0: float, t1: float, piece_s: float) -> list[Piece]:
    """The known time in [t0, t1) cut at the slots' bounds and on the `piece_s` grid (from the
    epoch), so a seven-hour night slot offers its last hours on their own."""
    result: list[Piece] = []
    for slot in slots:
        lo, hi = max(slot.start, t0), min(slot.end, t1)
        while lo < hi:
            cut = min(hi, (math.floor(lo / piece_s) + 1) * piece_s)
            result.append(Piece(lo, cut, slot.import_price))
            lo = cut
    return result


def cheapest_pieces(
    available: Sequence[Piece], need_s: float, later_first: bool = True
) -> list[Piece]:
    """As few pieces as cover `need_s`, cheapest first, in time order; all of them when they
    cannot cover it.

    Of equal prices the later piece goes first, as in evcc's planner (core/planner/sort.go,
    `sortByCost`): grid charging waits, which leaves the sun the chance to do it first.
    `later_first=False` takes the earlier one (heat stored now is used sooner).
    """
    chosen: list[Piece] = []
    covered = 0.0
    order = -1 if later_first else 1
    for piece in sorted(available, key=lambda p: (p.price, order * p.start)):
        if covered >= need_s:
            break
        chosen.append(piece)
        covered += piece.duration_s
    return sorted(chosen, key=lambda p: p.start)


def slot_at(slots: Sequence[PriceSlot], t: float) -> PriceSlot | None:
    """The slot in force at `t`, None where the prices do not say."""
    return next((slot for slot in slots if slot.start <= t < slot.end), None)


def mean_price(slots: Sequence[PriceSlot], start: float, end: float) -> float | None:
    """The time-weighted import price over [start, end), None if part of it is unknown."""
    if not end > start:
        raise ValueError(f"an empty window: start {start!r}, end {end!r}")
    total = covered = 0.0
    for slot in slots:
        overlap = min(slot.end, end) - max(slot.start, start)
        if overlap > 0:
            total += slot.import_price * overlap
            covered += overlap
    if covered < (end - start) * (1 - COST_TOLERANCE):
        return None
    return total / (end - start)


def cheapest_start(
    slots: Sequence[PriceSlot], earliest: float, latest: float, length_s: float
) -> tuple[float, float] | None:
    """The start in [earliest, latest] whose `length_s` window has the lowest mean import
    price, and that price; the earliest of equal ones (the program is done sooner). None when
    no window in the range is wholly priced.

    The window's cost is piecewise linear in its start, so the minimum is at a start or an
    end on a slot bound, or at either end of the range: only those are tried.
    """
    if not length_s > 0:
        raise ValueError(f"a program must last > 0 s, got {length_s!r}")
    if latest < earliest:
        return None
    bounds = {bound for slot in slots for bound in (slot.start, slot.end)}
    candidates = {earliest, latest}
    candidates.update(b for b in bounds if earliest <= b <= latest)
    candidates.update(b - length_s for b in bounds if earliest <= b - length_s <= latest)
    best: tuple[float, float] | None = None
    for start in sorted(candidates):
        price = mean_price(slots, start, start + length_s)
        if price is None:
            continue
        if best is None or price < best[1] - COST_TOLERANCE * max(1.0, abs(best[1])):
            best = (start, price)
    return best
