"""Buckets of minutes for history charts and the gaps in a series (hub.store.buckets)."""

import pytest

from hub.store.buckets import Buckets, items_in, with_gaps

T0 = 1_781_000_040  # the start of a minute


def test_a_span_that_fits_is_a_bucket_a_minute_and_a_longer_one_two_points_a_bucket():
    assert Buckets.for_span(T0, T0 + 1440 * 60, 1440) == Buckets(T0, 1440, 1)
    assert Buckets.for_span(T0, T0 + 1440 * 60, 1400) == Buckets(T0, 1440, 3)  # 480 buckets
    assert Buckets.for_span(T0, T0 + 1441 * 60, 1440) == Buckets(T0, 1441, 3)
    assert Buckets.for_span(T0, T0 + 1440 * 60, 11).width == 288  # 5 buckets
    # a span that starts inside a minute begins at the next one, and ends before `to`
    assert Buckets.for_span(T0 - 30.5, T0 + 90.0, 10) == Buckets(T0, 2, 1)
    assert Buckets.for_span(T0, T0 + 1.0, 10).full


def test_a_minute_is_in_the_bucket_that_starts_at_or_before_it():
    buckets = Buckets(T0, 100, 7)
    assert [buckets.of(T0 + 60 * i) for i in (0, 6, 7, 99)] == [0, 0, 1, 14]
    assert [buckets.start(b) for b in (0, 1, 14)] == [T0, T0 + 7 * 60, T0 + 98 * 60]


def test_a_month_of_minutes_fits_the_key_and_more_is_refused():
    assert Buckets.for_span(T0, T0 + 31 * 86400, 2000).width == 45  # 992 buckets
    with pytest.raises(ValueError, match="do not fit"):
        Buckets.for_span(T0, T0 + 65536 * 60, 2000)


def test_series_without_a_hole_come_back_as_they_are():
    buckets = Buckets(T0, 10, 1)
    t = f"[{T0},{T0 + 60},{T0 + 120}]"
    power = "[1e-3,2e-3,3e-3]"
    assert with_gaps(buckets, 3, t, power) == (t, power)
    assert with_gaps(buckets, 0, "[]", "[]") == ("[]", "[]")


def test_each_gap_is_one_point_of_nulls_at_its_first_empty_bucket():
    buckets = Buckets(T0, 100, 10)  # ten minutes a bucket
    minutes = [0, 9, 15, 55, 99]  # buckets 0, 0, 1, 5, 9: holes at 2-4 and 6-8
    t = "[" + ",".join(str(T0 + 60 * m) for m in minutes) + "]"
    t_out, power_out = with_gaps(buckets, 4, t, "[1e-3,2e-3,3e-3,4e-3,5e-3]")
    assert power_out == "[1e-3,2e-3,3e-3,null,4e-3,null,5e-3]"
    starts = [T0 + 60 * m for m in (0, 9, 15, 20, 55, 60, 99)]
    assert t_out == "[" + ",".join(map(str, starts)) + "]"
    assert items_in(t_out) == 7 and items_in("[]") == 0
