"""The battery in the plan: hand-solved optima with losses, its limits, and no burning of
energy by charging and discharging at once, even when prices are negative."""

import pytest
from planner_cases import HOUR, T0, battery, request

from hub.core.planner import make_plan


def test_two_price_levels_charge_cheap_and_discharge_dear_with_losses_by_hand():
    # 2 kWh, 1 kW each way, 0.9 each way. Cheap hours 0-1 fill it: 2 kWh drawn, 1.8 kWh
    # stored (90 %). Hour 2 takes 1 kWh out (1.111 kWh of cells), hour 3 the other
    # 0.689 kWh of cells, which give 0.62 kWh: 0.38 kWh is imported at 0.30.
    plan = make_plan(request([0.10, 0.10, 0.30, 0.30], load=[0, 0, 1000, 1000], battery=battery()))
    assert [s.battery_w for s in plan.slots] == pytest.approx([1000, 1000, -1000, -620], abs=0.5)
    assert [s.soc_pct for s in plan.slots] == pytest.approx(
        [45, 90, 1800 / 20 - 1000 / 0.9 / 20, 0], abs=0.01
    )
    assert [s.import_w for s in plan.slots] == pytest.approx([1000, 1000, 0, 380], abs=0.5)
    assert plan.expected_cost == pytest.approx(0.2 + 0.38 * 0.30, abs=1e-4)
    assert plan.baseline_cost == pytest.approx(0.6)  # auto with an empty battery: all imported
    assert plan.optimal


def test_a_spread_smaller_than_the_losses_leaves_the_battery_idle():
    # 1 kWh bought at 0.10 returns 0.81 kWh, worth 0.097 at 0.12: cycling loses money
    plan = make_plan(request([0.10, 0.10, 0.12, 0.12], load=[0, 0, 1000, 1000], battery=battery()))
    assert all(s.battery_w == 0 for s in plan.slots)
    assert plan.expected_cost == pytest.approx(0.24, abs=1e-4)
    assert [a.command for a in plan.actions] == [{"mode": "hold"}]
    assert plan.actions[0].why == "battery idle: nothing to gain"


def test_the_charge_stays_between_the_floor_and_full():
    # dear first: it discharges down to its 20 % floor and no further; then six cheap
    # hours could charge 6 kWh into 2 kWh: it stops at full
    prices = [0.40, 0.40, 0.40, *[0.05] * 6, 0.40, 0.40, 0.40]
    start = battery(soc_pct=60.0, min_soc_pct=20.0)
    plan = make_plan(request(prices, load=[1000] * len(prices), battery=start))
    socs = [s.soc_pct for s in plan.slots]
    assert min(socs) == pytest.approx(20.0, abs=0.01)
    assert max(socs) == pytest.approx(100.0, abs=0.01)
    assert all(20.0 - 1e-6 <= soc <= 100.0 + 1e-6 for soc in socs)


def test_a_final_charge_is_kept_at_the_horizon_end():
    plan = make_plan(request([0.10, 0.30], load=[0, 1000], battery=battery(final_soc_pct=50.0)))
    assert plan.slots[-1].soc_pct == pytest.approx(50.0, abs=0.01)


def test_a_negative_export_price_stores_the_surplus_instead_of_exporting():
    # 1.5 kW spare solar in hour 1 costs 0.05/kWh to export: the battery takes it all,
    # though hour 2 uses only 0.62 kWh of it: keeping the rest costs nothing, exporting it costs
    bigger = battery(max_charge_w=2000.0)
    plan = make_plan(
        request([0.30] * 3, load=[500] * 3, pv=[0, 2000, 0], export=-0.05, battery=bigger)
    )
    assert all(s.export_w == 0 for s in plan.slots)
    assert plan.slots[1].battery_w == pytest.approx(1500, abs=0.5)
    assert plan.slots[1].import_w == pytest.approx(0, abs=0.5)


def test_with_a_positive_export_price_the_same_surplus_is_partly_sold():
    bigger = battery(max_charge_w=2000.0)
    plan = make_plan(
        request([0.30] * 3, load=[500] * 3, pv=[0, 2000, 0], export=0.05, battery=bigger)
    )
    # storing 1 kWh returns 0.81 kWh worth 0.243 at 0.30, more than 0.05 sold: it stores
    # what hour 2 needs (0.5 / 0.81 kWh) and sells the rest
    assert plan.slots[1].battery_w == pytest.approx(500 / 0.81, abs=0.5)
    assert plan.slots[1].export_w == pytest.approx(1500 - 500 / 0.81, abs=0.5)


def test_negative_prices_do_not_make_it_charge_and_discharge_at_once():
    # paid 0.20/kWh to import with a full battery: burning energy in the battery's losses
    # (charge and discharge together) would pay, and the binaries forbid it; importing
    # and exporting at once would pay too (export 0 > import -0.20), also forbidden
    plan = make_plan(request([-0.20, 0.30], load=[500, 500], battery=battery(soc_pct=100.0)))
    first = plan.slots[0]
    assert first.battery_w == pytest.approx(0, abs=0.5)  # full: nothing to charge
    assert first.soc_pct == pytest.approx(100.0, abs=0.01)
    assert first.export_w == 0 and first.import_w == pytest.approx(500, abs=0.5)
    assert plan.slots[1].battery_w == pytest.approx(-500, abs=0.5)


def test_reasons_name_the_price_and_the_peak_it_serves():
    plan = make_plan(request([0.10, 0.10, 0.30, 0.30], load=[0, 0, 1000, 1000], battery=battery()))
    first, *later = plan.actions
    assert first.at == T0 and first.command == {"mode": "charge", "power_w": 1000.0}
    assert first.why == "battery charges at 0.10/kWh for 02:00 at 0.30/kWh"
    assert [(a.at - T0) / HOUR for a in later] == [2, 3]
    assert later[0].command == {"mode": "auto"}  # it just covers the home: follow the meter
    assert later[1].command == {"mode": "discharge", "power_w": 620.0}


def test_surplus_charging_says_so():
    # 1.8 kW spare, all of it worth keeping for the two dear hours after
    bigger = battery(capacity_wh=5000.0, max_charge_w=2000.0)
    plan = make_plan(request([0.30] * 3, load=[1000] * 3, pv=[2800, 0, 0], battery=bigger))
    assert plan.slots[0].battery_w == pytest.approx(1800, abs=0.5)
    assert plan.actions[0].command == {"mode": "auto"}
    assert plan.actions[0].why == "battery stores the surplus 1.8 kW"
