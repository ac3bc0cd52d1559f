"""Run-time edits, open alerts and the lifetime meters survive a restart of the hub."""

from test_hub_core import T0, meta, state

from hub.config.saved import effective_config
from hub.core.events import AlertChanged
from hub.core.hub_core import HubCore, Now, Snapshot
from hub.core.ledger import HomeMeters
from hub.core.settings import DEFAULT_CONFIG, SheddingConfig, ThresholdConfig
from hub.features.log_writer import StoreFeed
from hub.store.database import Store, db_path
from hub.store.restore import load_snapshot
from hub.store.writer import StoreWriter
from protocol import Topics

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
