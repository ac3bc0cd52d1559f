"""What the core notices, turned into alerts: device availability, threshold breaches and
load shedding.

Each function updates the `AlertBook` and returns the events to hand on
(`AlertChanged`, and the shedder's `CommandIssued`); the core decides when to
call them. Kept apart from `hub.core.hub_core` so that the core reads as the
flow of messages and time, and this as the rules for what an alert says.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from hub.core import events as ev
from hub.core.alerts import (
    AVAILABILITY_LEVEL,
    DEVICE_OFFLINE,
    DEVICE_STALE,
    AlertBook,
    availability_message,
)
from hub.core.registry import DeviceRecord
from hub.core.shedding import DeviceLoad, LoadShedder
from hub.core.thresholds import Breach
from protocol import Alert, Command

log = logging.getLogger("hub")
SHED_RULE = "load-shed"
SHEDDING_ACTOR = "shedding"


def availability_events(
    alerts: AlertBook, record: DeviceRecord, silent_s: float, sim_now: float
) -> list[ev.Event]:
    """Raise or clear the offline and stale alerts of a device whose status just changed."""
    events: list[ev.Event] = []
    for rule, active in (
        (DEVICE_OFFLINE, record.status == "offline"),
        (DEVICE_STALE, record.status == "stale"),
    ):
        message = availability_message(
            rule,
            record.device_id,
            record.name,
            cleared=not active,
            silent_s=silent_s,
            interval_s=record.interval_s,
        )
        if active:
            alert = alerts.raise_(
                rule, record.device_id, AVAILABILITY_LEVEL, None, None, message, sim_now
            )
        else:
            alert = alerts.clear(rule, record.device_id, None, message, sim_now)
        _append(events, alert)
    return events


def breach_events(alerts: AlertBook, breaches: Sequence[Breach], sim_now: float) -> list[ev.Event]:
    """Raise or clear the alerts of threshold rules that changed state."""
    events: list[ev.Event] = []
    for breach in breaches:
        if breach.raised:
            alert = alerts.raise_(
                breach.alert_rule,
                breach.device,
                breach.level,
                breach.value,
                breach.threshold,
                breach.message,
                sim_now,
            )
        else:
            alert = alerts.clear(
                breach.alert_rule, breach.device, breach.value, breach.message, sim_now
            )
        _append(events, alert)
    return events


def shedding_events(
    alerts: AlertBook,
    shedder: LoadShedder,
    loads: list[DeviceLoad],
    import_w: float,
    limit_w: float,
    sim_now: float,
) -> list[ev.Event]:
    """Let the shedder act on the import now: its commands, and a load-shed alert per device
    it switches off (cleared when it restores the device or leaves it to its owner)."""
    events: list[ev.Event] = []
    before = set(shedder.shed_devices())
    actions = shedder.evaluate(sim_now, import_w, loads)
    dropped = before - set(shedder.shed_devices()) - {a.device_id for a in actions}
    for device_id in sorted(dropped):
        message = f"{device_id} left to its owner, not restored"
        _append(events, alerts.clear(SHED_RULE, device_id, None, message, sim_now))
    for action in actions:
        on = action.action == "restore"
        events.append(ev.CommandIssued(action.device_id, Command(on=on), SHEDDING_ACTOR))
        if on:
            alert = alerts.clear(SHED_RULE, action.device_id, None, action.reason, sim_now)
        else:
            alert = alerts.raise_(
                SHED_RULE, action.device_id, "warning", import_w, limit_w, action.reason, sim_now
            )
        log.warning("load shedding: %s %s (%s)", action.action, action.device_id, action.reason)
        _append(events, alert)
    return events


def _append(events: list[ev.Event], alert: Alert | None) -> None:
    if alert is not None:
        events.append(ev.AlertChanged(alert))
