"""The open alerts of the home, and the events that open, acknowledge and close them.

An alert is opened by a raise, may be acknowledged by a person (it stays open:
acknowledging says "I have seen it", not "it is over"), and is closed only by a
clear. At most one alert is open per (rule, device), so a rule that keeps
breaching does not pile up duplicates. Every method returns the `protocol.Alert`
event to publish and store, or None when nothing happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from protocol import Alert

RAISED = "raised"
CLEARED = "cleared"
ACKNOWLEDGED = "acknowledged"

DEVICE_OFFLINE = "device-offline"
DEVICE_STALE = "device-stale"
AVAILABILITY_LEVEL = "warning"

AlertKey = tuple[str, str | None]


class AlertBook:
    """The set of open alerts, keyed by (rule, device)."""

    def __init__(self) -> None:
        self._open: dict[AlertKey, Alert] = {}
        self._raised_at: dict[str, float] = {}  # alert id -> raise time, for ordering
        self._second: int | None = None
        self._ids_this_second: set[str] = set()

    def raise_(
        self,
        rule: str,
        device: str | None,
        level: str,
        value: float | None,
        threshold: float | None,
        message: str,
        now: float,
    ) -> Alert | None:
        """Open an alert; None if one is already open for (rule, device).

        Its id is ``<rule>:<second>`` or ``<rule>:<device>:<second>``, with
        ``-2``, ``-3``... appended when the same id was already given out in
        that second. Raises `protocol.ProtocolError` for an invalid level or device.
        """
        key = (rule, device)
        if key in self._open:
            return None
        alert = Alert(
            id=self._new_id(rule, device, now),
            ts=now,
            rule=rule,
            device=device,
            level=level,
            state=RAISED,
            value=value,
            threshold=threshold,
            message=message,
        )
        self._open[key] = alert
        self._raised_at[alert.id] = now
        return alert

    def clear(
        self, rule: str, device: str | None, value: float | None, message: str, now: float
    ) -> Alert | None:
        """Close the open alert for (rule, device); None if there is none.

        The clear keeps the alert's id, level and threshold, so readers pair it
        with its raise.
        """
        alert = self._open.pop((rule, device), None)
        if alert is None:
            return None
        del self._raised_at[alert.id]
        return replace(alert, ts=now, state=CLEARED, value=value, message=message)

    def acknowledge(self, alert_id: str, now: float) -> Alert:
        """Mark an open alert seen; it stays open until cleared.

        Acknowledging an acknowledged alert returns it unchanged. Raises
        `KeyError` naming the id if no open alert has it.
        """
        for key, alert in self._open.items():
            if alert.id == alert_id:
                if alert.state != ACKNOWLEDGED:
                    alert = replace(alert, ts=now, state=ACKNOWLEDGED)
                    self._open[key] = alert
                return alert
        raise KeyError(f"no open alert has id {alert_id!r}")

    def open_alerts(self) -> list[Alert]:
        """The open alerts, most recently raised first."""
        return sorted(self._open.values(), key=lambda alert: (-self._raised_at[alert.id], alert.id))

    def is_open(self, rule: str, device: str | None) -> bool:
        return (rule, device) in self._open

    def restore(self, alerts: Iterable[Alert]) -> None:
        """Reopen alerts after a hub restart, from each alert's latest stored event.

        A cleared event closes an alert restored earlier in `alerts`. If two open
        alerts share a (rule, device), the later one is kept. The latest event's
        time stands in for the raise time when ordering.
        """
        for alert in alerts:
            key = (alert.rule, alert.device)
            current = self._open.get(key)
            if alert.state == CLEARED:
                if current is not None and current.id == alert.id:
                    del self._open[key]
                    del self._raised_at[current.id]
                continue
            if current is not None:
                if current.ts > alert.ts:
                    continue
                del self._raised_at[current.id]
            self._open[key] = alert
            self._raised_at[alert.id] = alert.ts

    def _new_id(self, rule: str, device: str | None, now: float) -> str:
        second = int(now)
        if second != self._second:
            self._second = second
            self._ids_this_second = set()
        base = f"{rule}:{second}" if device is None else f"{rule}:{device}:{second}"
        taken = self._ids_this_second | self._raised_at.keys()
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        self._ids_this_second.add(candidate)
        return candidate


def availability_message(
    rule: str,
    device_id: str,
    name: str | None = None,
    *,
    cleared: bool = False,
    silent_s: float = 0.0,
    interval_s: float = 0.0,
) -> str:
    """The message of a ``device-offline`` or ``device-stale`` alert, raise or clear.

    ``silent_s`` and ``interval_s`` (the device's reporting period) are used by
    a stale raise: "Kitchen fridge (kitchen-fridge) has sent nothing for 6 s (3 intervals)".
    """
    who = device_id if not name or name == device_id else f"{name} ({device_id})"
    if rule == DEVICE_OFFLINE:
        return f"{who} is back online" if cleared else f"{who} went offline"
    if rule == DEVICE_STALE:
        if cleared:
            return f"{who} is reporting again"
        intervals = int(silent_s // interval_s) if interval_s > 0 else 0
        plural = "" if intervals == 1 else "s"
        return f"{who} has sent nothing for {silent_s:.0f} s ({intervals} interval{plural})"
    raise ValueError(
        f"{rule!r} is not an availability rule; use {DEVICE_OFFLINE} or {DEVICE_STALE}"
    )
