"""summary, alerts and clock (protocol.hub_payloads)."""

import json

import pytest
from hypothesis import given
from protocol_strategies import FAST, alerts, clocks, summaries, timestamps

from protocol import Alert, Clock, ProtocolError, Summary

# Verbatim from the contract (protocol.md).
SUMMARY_EXAMPLE = """{"ts": 1763900000.0, "power_w": 2412.0, "import_w": 2412.0, "export_w": 0.0,
 "energy_today_wh": 5321.0, "cost_today": 1.42, "currency": "GBP",
 "tariff_rate": 0.2450, "devices_online": 9, "devices_total": 10}"""
ALERT_EXAMPLE = """{"id": "total-power-high:1763900000", "ts": 1763900000.0,
 "rule": "total-power-high", "device": null, "level": "warning", "state": "raised",
 "value": 7450.0, "threshold": 7000.0, "message": "Home draws 7.45 kW, above 7.00 kW for 10 s"}"""
CLOCK_EXAMPLE = """{"sim_epoch": 1763856000.0, "real_epoch": 1763900000.0, "speed": 60}"""


def with_field(example: str, **changes: object) -> bytes:
    data = json.loads(example)
    data.update(changes)
    return json.dumps(data).encode()


def rejection(cls, payload: bytes) -> str:
    with pytest.raises(ProtocolError) as caught:
        cls.from_payload(payload)
    return str(caught.value)


def test_summary_example_parses():
    summary = Summary.from_payload(SUMMARY_EXAMPLE)
    assert summary.power_w == 2412.0
    assert summary.currency == "GBP"
    assert summary.tariff_rate == 0.245
    assert (summary.devices_online, summary.devices_total) == (9, 10)
    # a 1.0 hub's summary: the 1.1 fields are simply absent
    assert summary.load_w is None and summary.import_total_wh is None
    assert json.loads(summary.to_payload()) == {
        **json.loads(SUMMARY_EXAMPLE),
        **dict.fromkeys(Summary.ADDED),
    }


FLOWS_1_1 = {
    "load_w": 2612.0, "generation_w": 200.0, "battery_w": 0.0, "battery_soc_pct": None,
    "import_today_wh": 4100.0, "export_today_wh": 300.0, "generation_today_wh": 1500.0,
    "self_consumed_today_wh": 1200.0, "import_total_wh": 9.5e6, "export_total_wh": 2.5e5,
    "generation_total_wh": 1.2e6, "battery_in_total_wh": 0.0, "battery_out_total_wh": 0.0,
}  # fmt: skip


def test_a_1_1_summary_adds_up_and_round_trips():
    summary = Summary.from_payload(with_field(SUMMARY_EXAMPLE, **FLOWS_1_1))
    assert summary.load_w - summary.generation_w == summary.power_w == summary.import_w
    assert json.loads(summary.to_payload()) == json.loads(with_field(SUMMARY_EXAMPLE, **FLOWS_1_1))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"load_w": 3000.0}, "summary.power_w (2412.0) must be load_w - generation_w - discharge"),
        ({"import_w": 0.0, "export_w": 2412.0}, "must be the two halves of power_w (2412.0)"),
        ({"import_w": 2500.0, "export_w": 88.0}, "must be the two halves of power_w"),
        ({"generation_w": -1}, "summary.generation_w must be null or a finite number >= 0"),
        ({"battery_soc_pct": 101}, "summary.battery_soc_pct must be"),
        ({"export_total_wh": -1}, "summary.export_total_wh must be"),
    ],
)
def test_a_summary_that_does_not_add_up_is_refused(changes, message):
    payload = with_field(SUMMARY_EXAMPLE, **{**FLOWS_1_1, **changes})
    assert message in rejection(Summary, payload)


def test_summary_ignores_extra_fields_and_allows_export():
    summary = Summary.from_payload(
        with_field(SUMMARY_EXAMPLE, power_w=-1500.0, import_w=0.0, export_w=1500.0, co2_today_g=9)
    )
    assert summary.power_w == -1500.0
    assert "co2_today_g" not in summary.to_dict()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ts": -1}, "summary.ts must be a finite number > 0"),
        ({"power_w": "2412"}, "summary.power_w must be a finite number, got '2412'"),
        ({"import_w": -1}, "summary.import_w must be a finite number >= 0, got -1"),
        ({"export_w": -1}, "summary.export_w must be a finite number >= 0"),
        ({"energy_today_wh": -5}, "summary.energy_today_wh must be a finite number >= 0"),
        ({"cost_today": None}, "summary.cost_today must be a finite number, got null"),
        ({"currency": "gbp"}, "summary.currency must match ^[A-Z]{3}$, got 'gbp'"),
        ({"currency": "GBPX"}, "summary.currency must match"),
        ({"tariff_rate": True}, "summary.tariff_rate must be a finite number, got true"),
        ({"devices_online": -1}, "summary.devices_online must be an integer >= 0"),
        ({"devices_online": 11}, "summary.devices_total (10) must be at least devices_online (11)"),
        ({"devices_total": 9.5}, "summary.devices_total must be an integer >= 0, got 9.5"),
    ],
)
def test_summary_rejections_name_the_field(changes, message):
    assert message in rejection(Summary, with_field(SUMMARY_EXAMPLE, **changes))


def test_alert_example_parses():
    alert = Alert.from_payload(ALERT_EXAMPLE)
    assert alert.id == "total-power-high:1763900000"
    assert alert.device is None
    assert (alert.level, alert.state) == ("warning", "raised")
    assert (alert.value, alert.threshold) == (7450.0, 7000.0)
    assert json.loads(alert.to_payload()) == json.loads(ALERT_EXAMPLE)


def test_alert_for_a_device_with_no_value():
    payload = with_field(ALERT_EXAMPLE, device="ev-charger", state="cleared", value=None)
    alert = Alert.from_payload(payload)
    assert (alert.device, alert.state, alert.value) == ("ev-charger", "cleared", None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": ""}, "alert.id must be 1 to 200 characters long"),
        ({"id": "i" * 201}, "alert.id must be 1 to 200 characters long, got 201"),
        ({"ts": 0}, "alert.ts must be a finite number > 0"),
        ({"rule": 5}, "alert.rule must be a string, got 5"),
        ({"device": "EV"}, "alert.device must be null or a device id: device id 'EV' must match"),
        ({"device": "hub"}, "alert.device must be null or a device id"),
        ({"level": "error"}, "alert.level must be one of info, warning, critical, got 'error'"),
        ({"state": "open"}, "alert.state must be one of raised, cleared, acknowledged"),
        ({"value": "high"}, "alert.value must be null or a finite number, got 'high'"),
        ({"threshold": False}, "alert.threshold must be null or a finite number, got false"),
        ({"message": "m" * 501}, "alert.message must be at most 500 characters long"),
    ],
)
def test_alert_rejections_name_the_field(changes, message):
    assert message in rejection(Alert, with_field(ALERT_EXAMPLE, **changes))


def test_clock_example_parses_and_maps_real_to_sim_time():
    clock = Clock.from_payload(CLOCK_EXAMPLE)
    assert clock == Clock(sim_epoch=1763856000.0, real_epoch=1763900000.0, speed=60.0)
    assert clock.sim_time(1763900000.0) == 1763856000.0
    assert clock.sim_time(1763900010.0) == 1763856000.0 + 600.0
    assert clock.sim_time(1763899999.0) == 1763856000.0 - 60.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sim_epoch": 0}, "clock.sim_epoch must be a finite number > 0, got 0"),
        ({"real_epoch": "now"}, "clock.real_epoch must be a finite number > 0"),
        ({"speed": 0}, "clock.speed must be a finite number > 0 and <= 100000, got 0"),
        ({"speed": -1}, "clock.speed must be a finite number > 0 and <= 100000"),
        ({"speed": 100001}, "clock.speed must be a finite number > 0 and <= 100000, got 100001"),
    ],
)
def test_clock_rejections_name_the_field(changes, message):
    assert message in rejection(Clock, with_field(CLOCK_EXAMPLE, **changes))


@FAST
@given(summaries())
def test_every_summary_round_trips(summary):
    assert Summary.from_payload(summary.to_payload()) == summary


@FAST
@given(alerts)
def test_every_alert_round_trips(alert):
    assert Alert.from_payload(alert.to_payload()) == alert


@FAST
@given(clocks)
def test_every_clock_round_trips(clock):
    assert Clock.from_payload(clock.to_payload()) == clock


@FAST
@given(clocks, timestamps)
def test_sim_time_is_anchored_at_real_epoch_and_runs_at_speed(clock, real_now):
    assert clock.sim_time(clock.real_epoch) == clock.sim_epoch
    expected = clock.sim_epoch + (real_now - clock.real_epoch) * clock.speed
    assert clock.sim_time(real_now) == expected
