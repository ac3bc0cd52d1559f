"""Run-time edits, open alerts, the lifetime meters and the forecasts' past survive a restart
of the hub."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from test_hub_core import T0, meta, state

from hub.config.saved import effective_config
from hub.core.energy_rows import DeviceMinute, HomeMeters, HomeMinute
from hub.core.events import AlertChanged, LedgerChanged
from hub.core.hub_core import HubCore, Now, Snapshot
from hub.core.manager import HISTORY_S, HomeHistory
from hub.core.settings import DEFAULT_CONFIG, SheddingConfig, ThresholdConfig
from hub.features.log_writer import StoreFeed
from hub.store.database import Store, db_path
from hub.store.restore import load_snapshot, recent_minutes
from hub.store.writer import StoreWriter
from protocol import PriceSlot, State, Topics

RULE = ThresholdConfig("total-power", 4000.0, 3500.0, 5.0, "critical", None)


def test_settings_edited_at_run_time_win_over_home_toml(tmp_path):
    store = Store.open(db_path(tmp_path))
    writer = StoreWriter(store).start()
    core = HubCore(DEFAULT_CONFIG, Topics())
    feed = StoreFeed(writer)
    for event in core.set_thresholds([RULE], Now(1.0, 1.0)):
        feed.handle(event)
    for event in core.set_shedding(SheddingConfig(True, 8000.0, 5.0, 6000.0)):
        feed.handle(event)
    writer.stop()
    config, edited = effective_config(DEFAULT_CONFIG, store.settings())
    assert edited == ["shedding", "thresholds"]
    assert config.thresholds == (RULE,)
    assert config.shedding == SheddingConfig(True, 8000.0, 5.0, 6000.0)
    assert config.tariff == DEFAULT_CONFIG.tariff


def test_open_alerts_come_back_and_can_still_clear(tmp_path):
    store = Store.open(db_path(tmp_path))
    writer = StoreWriter(store).start()
    core = HubCore(DEFAULT_CONFIG, Topics())
    feed = StoreFeed(writer)
    alert = core.alerts.raise_("total-power-high", None, "warning", 5000.0, 4000.0, "high", 10.0)
    feed.handle(AlertChanged(alert))
    writer.stop()
    restarted = HubCore(DEFAULT_CONFIG, Topics())
    restarted.restore(load_snapshot(store, restarted.tariff, 20.0, 60))
    assert [a.id for a in restarted.alerts.open_alerts()] == [alert.id]
    cleared = restarted.alerts.clear("total-power-high", None, 100.0, "back to normal", 30.0)
    assert cleared is not None and cleared.id == alert.id


def test_lifetime_meters_carry_on_after_a_restart(tmp_path):
    store = Store.open(db_path(tmp_path))
    writer = StoreWriter(store).start()
    core = HubCore(DEFAULT_CONFIG, Topics())
    feed = StoreFeed(writer)
    now = Now(T0, T0)
    core.restore(Snapshot([], {}, [], [], HomeMeters(1000.0, 200.0, 300.0)))
    core.handle_message("home/roof/meta", meta("roof", role="producer"), now)
    core.handle_message("home/roof/availability", b"online", now)
    core.handle_message("home/roof/state", state(1, 2000.0, 50.0), now)
    later = Now(T0 + 3600, T0 + 3600)
    core.handle_message("home/roof/state", state(2, 2000.0, 2050.0, ts=later.sim), later)
    for event in core.tick(later):
        feed.handle(event)
    writer.stop()
    restarted = HubCore(DEFAULT_CONFIG, Topics())
    restarted.restore(load_snapshot(store, restarted.tariff, later.sim, 60))
    summary = restarted.summary(later).summary
    assert summary.generation_total_wh == 2300.0
    assert summary.export_total_wh == 2200.0
    assert summary.import_total_wh == 1000.0


def test_a_batterys_flows_and_second_counter_carry_on_after_a_restart(tmp_path):
    store = Store.open(db_path(tmp_path))
    writer = StoreWriter(store).start()
    core = HubCore(DEFAULT_CONFIG, Topics())
    feed = StoreFeed(writer)
    now, later = Now(T0, T0), Now(T0 + 600, T0 + 600)
    core.handle_message("home/bat/meta", meta("bat", role="storage"), now)
    core.handle_message("home/bat/state", battery_state(1, 100.0, 40.0), now)
    core.handle_message("home/bat/state", battery_state(2, 300.0, 90.0, later.sim), later)
    for event in core.tick(later):
        feed.handle(event)
    writer.stop()
    restarted = HubCore(DEFAULT_CONFIG, Topics())
    restarted.restore(load_snapshot(store, restarted.tariff, later.sim, 60))
    summary = restarted.summary(later).summary
    assert (summary.battery_in_total_wh, summary.battery_out_total_wh) == (200.0, 50.0)
    today = restarted.today(later)
    assert (today.battery_in_wh, today.battery_out_wh) == pytest.approx((200.0, 50.0))
    # the second counter resumes where the figures stop: 10 Wh more out is 10 Wh, not 100
    final = Now(T0 + 660, T0 + 660)
    restarted.handle_message("home/bat/meta", meta("bat", role="storage"), final)  # retained
    restarted.handle_message("home/bat/state", battery_state(3, 300.0, 100.0, final.sim), final)
    assert restarted.today(final).battery_out_wh == pytest.approx(60.0)


def battery_state(seq, energy_in, energy_out, ts=T0):
    return State(
        ts=ts, seq=seq, on=True, power_w=0.0, energy_wh=energy_in, level=None, phase="idle",
        discharge_w=0.0, soc_pct=50.0, mode="auto", energy_out_wh=energy_out,
    ).to_payload()  # fmt: skip


def test_a_restarted_hub_forecasts_from_the_weeks_it_logged(tmp_path):
    """Two whole days logged: 300 W of base load, 600 W of sun from 12:00 to 13:00 and
    a car charging at 6 kW from 01:00 to 02:00. Read back, the third day's forecast is
    the sun's 600 W at noon and 300 W of base load at 01:00 (the car is the manager's to
    move, not base load), as if the hub had never stopped."""
    zone = ZoneInfo("Europe/London")
    midnight = int(datetime(2026, 6, 8, tzinfo=zone).timestamp())
    homes, cars = [], []
    for minute in range(midnight, midnight + 2 * 86400, 60):
        hour = datetime.fromtimestamp(minute, zone).hour
        car_wh = 100.0 if hour == 1 else 0.0
        sun_wh = 10.0 if hour == 12 else 0.0
        consumed = 5.0 + car_wh
        homes.append(HomeMinute(minute, consumed, sun_wh, max(0.0, consumed - sun_wh),
                                max(0.0, sun_wh - consumed), 0.0, 0.0))  # fmt: skip
        cars.append(DeviceMinute(minute, "car", car_wh, 0.0, car_wh * 60))
    store = Store.open(db_path(tmp_path))
    writer = StoreWriter(store).start()
    StoreFeed(writer).handle(LedgerChanged(cars, homes, [], HomeMeters(0.0, 0.0, 0.0)))
    writer.stop()
    now = midnight + 2 * 86400 + 60
    history = HomeHistory(zone, {"car"})
    history.add(*recent_minutes(store, now, HISTORY_S, history.flexible))
    day3 = midnight + 2 * 86400
    noon, one = (PriceSlot(start=day3 + h * 3600, end=day3 + h * 3600 + 1800, import_price=0.2,
                           export_price=0.1, co2_g_per_kwh=100.0) for h in (12, 1))  # fmt: skip
    assert history.pv_w([noon], now) == [pytest.approx(600.0)]
    assert history.base_w([one, noon]) == [pytest.approx(300.0), pytest.approx(300.0)]
    assert HomeHistory(zone, {"car"}).pv_w([noon], now) == [0.0]  # what a fresh start knew
