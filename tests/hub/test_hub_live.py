"""The live feed: the hub's events as plain data for the web's relay."""

from hub.core.events import SummaryComputed
from hub.features.live import LiveFeed
from protocol import Summary


def test_a_summary_goes_out_as_a_frame_of_one_instant():
    summary = Summary(
        ts=1.5e9, power_w=-1500.0, import_w=0.0, export_w=1500.0, energy_today_wh=10.0,
        cost_today=0.5, currency="GBP", tariff_rate=0.25, devices_online=2, devices_total=2,
        load_w=500.0, generation_w=2000.0, battery_w=0.0,
    )  # fmt: skip
    told: list[tuple[str, dict]] = []
    feed = LiveFeed()
    feed.add_listener(lambda kind, data: told.append((kind, data)))
    feed.handle(SummaryComputed(summary, 0.0, {"heater": 500.0, "roof": 2000.0}))
    assert told == [
        (
            "summary",
            {
                "ts": 1.5e9,
                "power_w": -1500.0,
                "load_w": 500.0,
                "generation_w": 2000.0,
                "device_power_w": {"heater": 500.0, "roof": 2000.0},
            },
        )
    ]
