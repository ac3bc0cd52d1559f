"""home/hub/prices as a feature (hub.features.prices.PriceBoard), driven by hand-made
events: published at the start, when the slot in force passes and when the tariff changes,
each time covering at least the next 24 h."""

import datetime as dt
from zoneinfo import ZoneInfo

from hub.core.events import SettingChanged, SummaryComputed
from hub.core.settings import AgileLike, Period, TariffConfig
from hub.features.prices import PriceBoard
from protocol import Prices, Summary

LONDON = ZoneInfo("Europe/London")
ECONOMY_7 = TariffConfig(
    export_rate=0.15,
    carbon_g_per_kwh=149,
    periods=(
        Period("night", dt.time(0, 30), dt.time(7, 30), 0.09),
        Period("day", dt.time(7, 30), dt.time(0, 30), 0.30),
    ),
)
NOON = dt.datetime(2026, 6, 15, 12, tzinfo=LONDON).timestamp()


def summary(ts: float) -> SummaryComputed:
    figures = Summary(
        ts=ts, power_w=0.0, import_w=0.0, export_w=0.0, energy_today_wh=0.0, cost_today=0.0,
        currency="GBP", tariff_rate=0.3, devices_online=0, devices_total=0,
    )  # fmt: skip
    return SummaryComputed(figures, 0.0, {})


def board(tariff: TariffConfig) -> tuple[PriceBoard, list[Prices]]:
    sent: list[Prices] = []
    feature = PriceBoard(
        tariff, LONDON, "GBP", lambda payload: sent.append(Prices.from_payload(payload))
    )
    return feature, sent


def test_published_on_the_first_summary_and_again_only_when_the_slot_passes():
    feature, sent = board(TariffConfig(prices=AgileLike(1)))
    feature.handle(summary(NOON + 5))
    assert len(sent) == 1
    first = sent[0]
    assert first.currency == "GBP" and first.slots[0].start == NOON
    assert first.slots[-1].end >= NOON + 5 + 86400  # at least the next 24 h
    for t in (NOON + 60, NOON + 1799):
        feature.handle(summary(t))
    assert len(sent) == 1  # nothing changed
    feature.handle(summary(NOON + 1800))
    assert len(sent) == 2 and sent[1].slots[0].start == NOON + 1800
    assert sent[1].slots[-1].end >= NOON + 1800 + 86400


def test_fixed_periods_are_published_as_their_slots_until_midnight_passes():
    feature, sent = board(ECONOMY_7)
    feature.handle(summary(NOON))
    day_slots = [(s.import_price, s.export_price, s.co2_g_per_kwh) for s in sent[0].slots]
    assert day_slots[0] == (0.30, 0.15, 149) and (0.09, 0.15, 149) in day_slots
    assert sent[0].slots[0].end == dt.datetime(2026, 6, 16, tzinfo=LONDON).timestamp()
    feature.handle(summary(NOON + 6 * 3600))
    assert len(sent) == 1


def test_a_tariff_change_is_published_at_the_next_summary():
    feature, sent = board(ECONOMY_7)
    feature.handle(summary(NOON))
    feature.handle(SettingChanged("thresholds", ()))
    feature.handle(summary(NOON + 1))
    assert len(sent) == 1
    feature.handle(SettingChanged("tariff", TariffConfig(prices=AgileLike(3))))
    feature.handle(summary(NOON + 2))
    assert len(sent) == 2
    assert all(s.end - s.start == 1800 for s in sent[1].slots)
