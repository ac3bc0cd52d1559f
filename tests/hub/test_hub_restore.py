"""Run-time edits, open alerts and the lifetime meters survive a restart of the hub."""

import pytest
from test_hub_core import T0, meta, state

from hub.config.saved import effective_config
from hub.core.energy_rows import HomeMeters
from hub.core.events import AlertChanged
from hub.core.hub_core import HubCore, Now, Snapshot
from hub.core.settings import DEFAULT_CONFIG, SheddingConfig, ThresholdConfig
from hub.features.log_writer import StoreFeed
from hub.store.database import Store, db_path
from hub.store.restore import load_snapshot
from hub.store.writer import StoreWriter
from protocol import State, Topics

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
