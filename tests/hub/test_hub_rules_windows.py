"""Where a need is cheapest (hub.core.rules.windows): the car's cheapest pieces of time and a
program's cheapest start, the latter checked against every start a brute force tries."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.rules.windows import Piece, cheapest_pieces, cheapest_start, mean_price, pieces
from protocol import PriceSlot

HALF_HOUR = 1800.0


def slots(prices: list[float], start: float = 0.0, length: float = HALF_HOUR) -> list[PriceSlot]:
    return [
        PriceSlot(
            start=start + i * length,
            end=start + (i + 1) * length,
            import_price=price,
            export_price=0.05,
            co2_g_per_kwh=150,
        )
        for i, price in enumerate(prices)
    ]


def test_pieces_cut_a_long_slot_on_the_grid_and_clip_to_the_span():
    night = slots([0.1], start=0, length=7 * 3600)
    cut = pieces(night, 600, 4 * 3600, HALF_HOUR)
    assert cut[0] == Piece(600, 1800, 0.1)
    assert [p.start for p in cut[1:]] == [1800 * k for k in range(1, 8)]
    assert cut[-1].end == 4 * 3600
    assert sum(p.duration_s for p in cut) == 4 * 3600 - 600


def test_the_cheapest_pieces_cover_the_need_taking_the_later_of_equal_prices():
    available = pieces(slots([0.3, 0.1, 0.1, 0.1, 0.2]), 0, 5 * HALF_HOUR, HALF_HOUR)
    assert [p.start for p in cheapest_pieces(available, 2 * HALF_HOUR)] == [
        2 * HALF_HOUR,
        3 * HALF_HOUR,
    ]
    earlier = cheapest_pieces(available, 2 * HALF_HOUR, later_first=False)
    assert [p.start for p in earlier] == [HALF_HOUR, 2 * HALF_HOUR]
    assert [p.price for p in cheapest_pieces(available, 4 * HALF_HOUR)] == [0.1, 0.1, 0.1, 0.2]


def test_a_need_the_pieces_cannot_cover_takes_them_all():
    available = pieces(slots([0.3, 0.1]), 0, 2 * HALF_HOUR, HALF_HOUR)
    assert cheapest_pieces(available, 10 * HALF_HOUR) == available


def test_a_window_partly_unpriced_has_no_price():
    known = slots([0.2, 0.4])
    assert mean_price(known, 0, 2 * HALF_HOUR) == pytest.approx(0.3)
    assert mean_price(known, HALF_HOUR, 3 * HALF_HOUR) is None
    with pytest.raises(ValueError, match="empty"):
        mean_price(known, 10, 10)


def test_the_cheapest_start_of_a_two_hour_program_before_a_deadline():
    # 0.30 until 01:00, 0.10 from 01:00 to 03:00, then 0.25; done by 04:00
    series = slots([0.30, 0.30, 0.10, 0.10, 0.10, 0.10, 0.25, 0.25])
    start, price = cheapest_start(series, 0, 4 * 3600 - 2 * 3600, 2 * 3600)
    assert (start, price) == (3600, pytest.approx(0.10))


def test_equal_windows_start_at_the_earliest():
    flat = slots([0.2] * 10)
    assert cheapest_start(flat, 600, 3 * 3600, 3600)[0] == 600


def test_no_room_or_no_prices_gives_no_start():
    assert cheapest_start(slots([0.2] * 4), 3600, 1800, 600) is None
    assert cheapest_start(slots([0.2] * 2), 0, 1800, 3 * 3600) is None
    with pytest.raises(ValueError, match="> 0 s"):
        cheapest_start(slots([0.2]), 0, 10, 0)


@settings(max_examples=150, deadline=None)
@given(
    prices=st.lists(st.floats(-0.1, 0.6, allow_nan=False), min_size=4, max_size=48),
    now_min=st.integers(0, 120),
    program_min=st.integers(10, 240),
    slack_min=st.integers(0, 24 * 60),
)
def test_the_cheapest_start_beats_every_start_a_brute_force_tries(
    prices, now_min, program_min, slack_min
):
    series = slots(prices)
    now, length = now_min * 60.0, program_min * 60.0
    finish_by = min(series[-1].end, now + length + slack_min * 60.0)
    latest = finish_by - length
    found = cheapest_start(series, now, latest, length)
    if latest < now:
        assert found is None
        return
    assert found is not None
    start, price = found
    assert now <= start <= latest
    assert start + length <= finish_by
    assert price == pytest.approx(mean_price(series, start, start + length))
    every_minute = range(now_min, int(latest // 60) + 1)
    tried = [mean_price(series, s * 60.0, s * 60.0 + length) for s in every_minute]
    assert min(tried) >= price - 1e-9
