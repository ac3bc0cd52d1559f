"""Loaded machines in the plan: one start, in the cheapest window that still finishes by
`finish_by`; and how a program's steps spread over the slots."""

import pytest
from planner_cases import HOUR, T0, request, slots

from hub.core.planner import Program, make_plan
from hub.core.planner.spread import candidate_starts, program_slot_w

WASH = ((3600.0, 2000.0), (1800.0, 500.0))  # 1 h heating at 2 kW, 30 min spinning at 0.5 kW


def washer(**changes) -> Program:
    fields = {"device": "washer", "ready_since": T0, "finish_by": T0 + 6 * HOUR, "profile": WASH}
    return Program(**{**fields, **changes})


def test_the_program_starts_in_the_cheapest_window_that_still_finishes_in_time():
    # the cheapest hours (6, 7) end too late; 03:00 puts 2 kWh and 0.25 kWh at 0.10,
    # 04:00 would put the spin at 0.30
    prices = [0.30, 0.30, 0.30, 0.10, 0.10, 0.30, 0.05, 0.05]
    plan = make_plan(request(prices, programs=(washer(),)))
    (run,) = plan.programs
    assert (run.start, run.end, run.late) == (T0 + 3 * HOUR, T0 + 4.5 * HOUR, False)
    assert plan.expected_cost == pytest.approx(2.25 * 0.10)
    # doing nothing: the machine starts itself at 04:30, the latest that finishes by 06:00
    assert plan.baseline_cost == pytest.approx(1.0 * 0.10 + 1.0 * 0.30 + 0.25 * 0.30)
    (action,) = plan.actions
    assert action.command == {"start_at": T0 + 3 * HOUR} and action.at == T0
    assert action.why == "cheapest 1 h 30 min before 06:00"
    assert [s.load_w for s in plan.slots[3:5]] == pytest.approx([2000, 250])  # spin: half an hour


def test_a_machine_that_cannot_finish_in_time_runs_at_once():
    plan = make_plan(request([0.3, 0.1, 0.1], programs=(washer(finish_by=T0 + HOUR),)))
    (run,) = plan.programs
    assert run.start == T0 and run.late
    assert plan.actions[0].command == {"on": True}  # a start now is ON
    assert plan.actions[0].why == "runs now: 1 h 30 min cannot finish by 01:00"


def test_a_machine_ready_later_does_not_start_before_it_is_ready():
    prices = [0.05, 0.40, 0.20, 0.30, 0.30, 0.30]
    plan = make_plan(request(prices, programs=(washer(ready_since=T0 + 0.5 * HOUR),)))
    # 00:30 catches half the cheap hour but heats on into the dear one (0.55); 02:00: 0.475
    assert plan.programs[0].start == T0 + 2 * HOUR


def test_two_programs_each_get_one_start():
    dishes = Program("dishwasher", T0, T0 + 8 * HOUR, ((1800.0, 1800.0), (3600.0, 100.0)))
    prices = [0.30, 0.30, 0.10, 0.30, 0.30, 0.30, 0.10, 0.30]
    plan = make_plan(request(prices, programs=(washer(), dishes)))
    assert {p.device: (p.start - T0) / HOUR for p in plan.programs} == {
        "washer": 2,
        "dishwasher": 6,
    }


def test_steps_spread_over_the_slots_they_cover_as_average_watts():
    hours = slots([0.1] * 4)
    assert program_slot_w(WASH, T0 + 0.5 * HOUR, hours) == pytest.approx([1000, 1250, 0, 0])
    assert program_slot_w(WASH, T0 + 3 * HOUR, hours) == pytest.approx([0, 0, 0, 2000])  # cut


def test_candidate_starts_are_the_earliest_and_every_later_boundary_that_fits():
    hours = slots([0.1] * 4)
    assert candidate_starts(T0 + 0.5 * HOUR, T0 + 3 * HOUR, 5400, hours) == [
        T0 + 0.5 * HOUR,
        T0 + HOUR,
    ]
    assert candidate_starts(T0, T0 + HOUR, 5400, hours) == [T0]  # too late: at once


def test_a_profile_step_must_have_a_length_and_no_negative_power():
    with pytest.raises(ValueError, match="bad step"):
        washer(profile=((0.0, 100.0),))
    with pytest.raises(ValueError, match="no steps"):
        washer(profile=())
