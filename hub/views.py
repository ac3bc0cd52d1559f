"""What the page is shown of the hub's live state (devices, the summary, open alerts, the
alert rules) as the API and Socket.IO send it, each built in one place, from the core,
on the core thread.

`HubApi` builds them in its calls to the core; `LiveViews` builds them for the
web's live relay while events are handed on, so the relay's Socket.IO task
never has to ask the core for what an event is about.
"""

from __future__ import annotations

from typing import Any

from hub.config.load import threshold_to_dict
from hub.controller import now_of
from hub.core.energy_rows import Totals
from hub.core.events import SummaryComputed
from hub.core.hub_core import HubCore, Now
from hub.core.registry import DeviceRecord
from protocol import STORAGE, SimClock
from protocol.device_payloads import FLEXIBLE_STATE


class LiveViews:
    """Views of the core for a feature: call them only on the core thread (from `handle`
    or `drained`), where reading the core directly is safe and costs no queueing."""

    def __init__(self, core: HubCore, clock: SimClock):
        self.core = core
        self.clock = clock

    def device(self, device_id: str) -> dict[str, Any] | None:
        """The device now, or None when the hub does not know it (never seen, or forgotten)."""
        return device_of(self.core, device_id, now_of(self.clock))

    def summary(self, computed: SummaryComputed) -> dict[str, Any]:
        """The API's summary (without `problems`) of a summary the core has just computed."""
        return summary_view(self.core, computed, now_of(self.clock))


FLEXIBLE_VIEW = ("soc_pct", "mode", *FLEXIBLE_STATE)
"""The 1.1 state fields of the flexible kinds the device view passes on."""


def snapshot_view(core: HubCore, now: Now) -> dict[str, Any]:
    """What a new page starts from, all of one instant: the home (its name, currency and the
    IANA time zone its clock times are shown in), every device, the summary (without
    `problems`), the open alerts and the alert rules."""
    home = core.config.home
    return {
        "home_name": home.name,
        "currency": home.currency,
        "timezone": home.timezone.key,
        "devices": devices_view(core, now),
        "summary": summary_view(core, core.summary(now), now),
        "alerts": open_alerts_view(core, now),
        "thresholds": thresholds_view(core, now),
    }


def open_alerts_view(core: HubCore, now: Now) -> list[dict[str, Any]]:
    """The open alerts, newest raise first."""
    return [alert.to_dict() for alert in core.alerts.open_alerts()]


def thresholds_view(core: HubCore, now: Now) -> list[dict[str, Any]]:
    """The alert rules in force, as home.toml's ``[[thresholds]]`` tables."""
    return [threshold_to_dict(rule) for rule in core.config.thresholds]


def devices_view(core: HubCore, now: Now) -> list[dict[str, Any]]:
    """Every known device, by id."""
    today = core.today(now)
    records = sorted(core.registry.devices.values(), key=lambda r: r.device_id)
    return [device_view(record, today) for record in records]


def device_of(core: HubCore, device_id: str, now: Now) -> dict[str, Any] | None:
    """One device, or None when the hub does not know it (never seen, or forgotten)."""
    record = core.registry.get(device_id)
    return None if record is None else device_view(record, core.today(now))


def summary_view(core: HubCore, computed: SummaryComputed, now: Now) -> dict[str, Any]:
    """The summary on MQTT plus today's and this month's details, all of one instant."""
    today, month = core.today(now), core.month(now)
    standing = core.tariff.standing_charge_per_day
    limits = [rule.above for rule in core.config.thresholds if rule.rule == "total-power"]
    # Energy of devices the hub no longer knows counted as consumption when it came in.
    attributed = sum(
        wh
        for device, wh in today.device_wh.items()
        if (record := core.registry.get(device)) is None or record.role != "producer"
    )
    return {
        **computed.summary.to_dict(),
        "co2_today_g": round(today.carbon_g, 1),
        "energy_month_wh": round(month.consumption_wh, 3),
        "cost_month": round(month.cost + standing * core.days_this_month(now), 4),
        "standing_charge_per_day": standing,
        "tariff_period": core.prices.name_at(now.sim),
        "home_name": core.config.home.name,
        "total_power_threshold_w": min(limits, default=None),
        "unaccounted_today_wh": round(max(0.0, today.consumption_wh - attributed), 3),
        # the same instant's device powers that load_w and generation_w add up from
        "device_power_w": computed.device_power_w,
        # and the same totals that energy_today_wh and cost_today come from
        "device_energy_today_wh": {d: round(wh, 3) for d, wh in today.device_wh.items()},
        "device_cost_today": {d: round(cost, 4) for d, cost in today.device_cost.items()},
    }


def device_view(record: DeviceRecord, today: Totals) -> dict[str, Any]:
    """The contract's Device shape; a device with no meta yet gets the documented defaults."""
    meta, state = record.meta, record.state
    view = {
        "id": record.device_id,
        "name": record.name,
        "kind": meta.kind if meta else "unknown",
        "role": record.role,
        "status": record.status,
        "rated_w": meta.rated_w if meta else 0.0,
        "standby_w": meta.standby_w if meta else 0.0,
        "dimmable": meta.dimmable if meta else False,
        "priority": meta.priority if meta else 3,
        "interval_s": record.interval_s,
        "on": state.on if state else None,
        "power_w": record.live_power_w,
        "level": state.level if state else None,
        "phase": state.phase if state else None,
        "energy_wh": state.energy_wh if state else None,
        "ts": state.ts if state else None,
        "energy_today_wh": round(today.device_wh.get(record.device_id, 0.0), 3),
        "cost_today": round(today.device_cost.get(record.device_id, 0.0), 4),
    }
    if meta is not None and meta.deferrable:
        view["deferrable"] = True
    if meta is not None and meta.flexible:
        view["flexible"] = list(meta.flexible)
    if record.role == STORAGE:  # a battery: what it delivers, how full, its mode and meter
        view |= {
            "discharge_w": record.live_discharge_w,
            "soc_pct": state.soc_pct if state else None,
            "mode": state.mode if state else None,
            "energy_out_wh": state.energy_out_wh if state else None,
        }
    elif state is not None:  # a car charger's or a deferrable machine's, when it sends them
        view |= {
            key: getattr(state, key) for key in FLEXIBLE_VIEW if getattr(state, key) is not None
        }
    return view
