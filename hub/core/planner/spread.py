"""Where a load falls in the slots: a program's power steps from a start, a window's share.

A slot's figure is its average power, so a step that covers a third of a slot
adds a third of its watts there. These are the coefficients the formulation
puts in front of each start choice, and the baseline uses the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from protocol import PriceSlot


def overlap_s(start: float, end: float, slot: PriceSlot) -> float:
    """Seconds of [start, end) inside `slot`."""
    return max(0.0, min(end, slot.end) - max(start, slot.start))


def program_slot_w(
    profile: Sequence[tuple[float, float]], start: float, slots: Sequence[PriceSlot]
) -> list[float]:
    """The average W a program started at `start` adds to each slot (0 outside its run;
    a run past the last slot is cut there)."""
    averages = [0.0] * len(slots)
    t = start
    for duration_s, watts in profile:
        for i, slot in enumerate(slots):
            averages[i] += watts * overlap_s(t, t + duration_s, slot) / (slot.end - slot.start)
        t += duration_s
    return averages


def candidate_starts(
    earliest: float, latest_end: float, duration_s: float, slots: Sequence[PriceSlot]
) -> list[float]:
    """Starts for a run of `duration_s` no earlier than `earliest` that end by `latest_end`:
    `earliest` itself and every later slot boundary. When none ends in time, `earliest`
    alone: a machine already late runs at once."""
    boundaries = [slot.start for slot in slots if slot.start > earliest]
    starts = [t for t in (earliest, *boundaries) if t + duration_s <= latest_end]
    return starts or [earliest]


def available_fraction(start: float, end: float, slot: PriceSlot) -> float:
    """The share of `slot` inside [start, end): how much of its length a device may use."""
    return overlap_s(start, end, slot) / (slot.end - slot.start)
