"""Energy from cumulative counters: deltas, restarts, gaps, and devices without counters."""

import pytest

from hub.core.meters import CounterTracker, Delta, ImplausibleReading


def test_first_reading_sets_the_baseline_only():
    tracker = CounterTracker()
    assert tracker.reading("fridge", 100.0, 5000.0, 90.0) is None
    assert tracker.reading("fridge", 102.0, 5000.05, 90.0) == Delta(
        100.0, 102.0, pytest.approx(0.05)
    )


def test_lost_readings_lose_no_energy():
    tracker = CounterTracker()
    tracker.reading("tv", 0.0, 10.0, 100.0)
    # readings at 2, 4 and 6 s were lost in transit; the counter carries their energy
    assert tracker.reading("tv", 8.0, 10.4, 100.0) == Delta(0.0, 8.0, pytest.approx(0.4))


def test_a_decrease_is_a_counter_restart_not_negative_energy():
    tracker = CounterTracker()
    tracker.reading("kettle", 0.0, 500.0, 0.0)
    delta = tracker.reading("kettle", 60.0, 3.0, 2800.0)
    assert delta == Delta(0.0, 60.0, 3.0)


def test_no_change_gives_no_delta():
    tracker = CounterTracker()
    tracker.reading("lamp", 0.0, 1.0, 0.0)
    assert tracker.reading("lamp", 5.0, 1.0, 0.0) is None


def test_devices_without_a_counter_are_metered_by_their_power():
    tracker = CounterTracker()
    tracker.reading("diy", 0.0, 0.0, 360.0)
    assert tracker.reading("diy", 10.0, 0.0, 0.0) == Delta(0.0, 10.0, pytest.approx(1.0))
    # once the counter moves it is trusted, and the power no longer integrated
    tracker.reading("diy", 20.0, 0.5, 3600.0)
    assert tracker.reading("diy", 30.0, 0.5, 3600.0) is None


def test_resume_continues_from_the_logged_counter():
    tracker = CounterTracker()
    tracker.resume("fridge", 1000.0, 42.0)
    assert tracker.reading("fridge", 1600.0, 52.0, 100.0) == Delta(1000.0, 1600.0, 10.0)


def test_an_absurd_jump_is_refused_and_becomes_the_new_baseline():
    tracker = CounterTracker()
    tracker.reading("odd", 0.0, 1.0, 10.0)
    with pytest.raises(ImplausibleReading):
        tracker.reading("odd", 2.0, 1e9, 10.0)
    assert tracker.reading("odd", 4.0, 1e9 + 0.01, 10.0) == Delta(2.0, 4.0, pytest.approx(0.01))


def test_time_that_does_not_advance_still_counts_energy():
    tracker = CounterTracker()
    tracker.reading("k", 10.0, 1.0, 0.0)
    assert tracker.reading("k", 9.0, 2.0, 0.0) == Delta(10.0, 10.0, 1.0)
