"""A live home for web tests: broker, hub and device processes, all real; devices of a
set power published as mosquitto_pub would; and a browser page watching it all."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from protocol import Meta, State
from testkit import configs
from testkit.brokers import BrokerEndpoint, start_embedded_broker
from testkit.devices import start_device
from testkit.hub import Hub
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for
from testkit.processes import ManagedProcess, Processes
from testkit.programs import ROOT

ARTIFACTS = ROOT / "test-artifacts"
"""Screenshots the browser tests leave to look at (never committed)."""

CONFIG = configs.home_toml("Test home", configs.threshold(2000))


@dataclass
class LiveHome:
    broker: BrokerEndpoint
    hub: Hub
    procs: Processes

    @property
    def url(self) -> str:
        return self.hub.url

    def get(self, path: str) -> object:
        return self.hub.get(path)

    def device(self, kind: str, device_id: str, *args: str) -> ManagedProcess:
        return start_device(self.procs, self.broker, kind, device_id, *args)

    def wait_devices(self, count: int) -> None:
        wait_for(
            lambda: self.get("/api/summary")["devices_online"] >= count,
            20,
            f"{count} devices online",
        )


def start_live_home(
    procs: Processes, tmp_path: Path, *hub_args: str, config_text: str = CONFIG
) -> LiveHome:
    broker = start_embedded_broker(procs)
    config = configs.write_config(tmp_path, config_text)
    return LiveHome(broker, Hub(procs, broker, tmp_path / "data", config, *hub_args), procs)


@dataclass
class FixedDevice:
    """A device that draws (or, a producer, makes) a power the test sets, on MQTT.

    Its meta, availability and state are published retained, as `mosquitto_pub -r`
    would, and it says it reports once an hour, so it never goes stale in a test:
    the page must show exactly the powers set here. Its energy counter starts
    at 1 Wh, so the hub counts the day's energy from the counter alone (it
    integrates power only for a counter that never moved): none until a test
    moves it.
    """

    probe: MqttProbe
    device_id: str
    role: str
    power_w: float
    energy_wh: float = 1.0
    seq: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._publish("meta", self.meta().to_payload())
        self._publish("availability", b"online")
        self.draw(self.power_w)

    def meta(self) -> Meta:
        return Meta(
            id=self.device_id,
            name=self.device_id.capitalize(),
            kind="fixed",
            role=self.role,
            rated_w=max(self.power_w, 1.0),
            standby_w=0.0,
            dimmable=False,
            interval_s=3600.0,
            priority=3,
            sw="tests",
        )

    def draw(self, power_w: float, used_wh: float = 0.0) -> None:
        """Report `power_w` now, the counter moved on by `used_wh`."""
        self.power_w, self.energy_wh, self.seq = power_w, self.energy_wh + used_wh, self.seq + 1
        self._publish("state", self.state().to_payload())

    def state(self) -> State:
        return State(ts=time.time(), seq=self.seq, on=True, power_w=self.power_w,
                     energy_wh=self.energy_wh, phase="on")  # fmt: skip

    def _publish(self, channel: str, payload: bytes) -> None:
        self.probe.publish(f"home/{self.device_id}/{channel}", payload, retain=True)


@dataclass
class FixedBattery(FixedDevice):
    """A home battery (role `storage`) at a set flow and state of charge, on MQTT.

    `power_w` is what it draws charging and `discharge_w` what it delivers (one
    of them 0, as the contract's storage state has it); `flow` sets both, and
    the mode and phase that go with them (a setpoint, `hold` while idle).
    """

    role: str = "storage"
    power_w: float = 0.0
    discharge_w: float = 0.0
    soc_pct: float = 50.0

    def meta(self) -> Meta:
        return replace(super().meta(), rated_w=2600.0, capacity_wh=5200.0,
                       max_charge_w=2600.0, max_discharge_w=2600.0)  # fmt: skip

    def flow(self, battery_w: float, soc_pct: float) -> None:
        """Charge at `battery_w` (> 0) or discharge at -`battery_w` (< 0), `soc_pct` full."""
        self.discharge_w, self.soc_pct = max(0.0, -battery_w), soc_pct
        self.draw(max(0.0, battery_w))

    def state(self) -> State:
        mode, phase = (("charge", "charging") if self.power_w
                       else ("discharge", "discharging") if self.discharge_w
                       else ("hold", "idle"))  # fmt: skip
        return replace(super().state(), discharge_w=self.discharge_w, soc_pct=self.soc_pct,
                       mode=mode, phase=phase)  # fmt: skip


class Watched:
    """A dashboard page with everything that went wrong on it recorded, once it is live."""

    def __init__(
        self,
        browser,
        url: str,
        width: int = 1400,
        height: int = 1000,
        answer: str | None = None,
        timezone_id: str | None = None,
    ):
        """`answer`: what to type into a prompt (a dialog is dismissed without one);
        `timezone_id`: the browser's own time zone (default the machine's)."""
        self.page = browser.new_page(
            viewport={"width": width, "height": height}, timezone_id=timezone_id
        )
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed {r.url}"))
        self.page.on(
            "response", lambda r: r.status >= 400 and self.problems.append(f"{r.status} {r.url}")
        )
        self.page.on(
            "dialog",
            lambda d: (
                self.dialogs.append(d.message),
                d.dismiss() if answer is None else d.accept(answer),
            ),
        )
        self.page.goto(url)
        self.testid("connection").filter(has_text="connected").wait_for(timeout=15000)

    def testid(self, name: str):
        return self.page.get_by_test_id(name)

    def text(self, name: str) -> str:
        return (self.testid(name).text_content() or "").strip()  # SVG text has no inner_text

    def shows(self, expected: dict[str, str], timeout: float = 15) -> None:
        """Wait until every test id shows its expected text; fail naming what differs."""

        def differences() -> dict[str, str]:
            return {name: self.text(name) for name, text in expected.items()
                    if self.text(name) != text}  # fmt: skip

        try:
            wait_for(lambda: not differences(), timeout, f"the page to show {expected}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; it shows {differences()}") from None


@contextlib.contextmanager
def solar_and_heater(
    procs: Processes, tmp_path: Path, solar_w: float, heater_w: float
) -> Iterator[LiveHome]:
    """A live home with fixed solar (`home.solar`) and a heater (`home.heater`) reporting,
    and `home.probe` to add more devices with."""
    home = start_live_home(procs, tmp_path)
    home.probe = probe = MqttProbe(home.broker).connected()  # type: ignore[attr-defined]
    home.solar = FixedDevice(probe, "roof", "producer", solar_w)  # type: ignore[attr-defined]
    home.heater = FixedDevice(probe, "heater", "consumer", heater_w)  # type: ignore[attr-defined]
    home.wait_devices(2)
    try:
        yield home
    finally:
        probe.close()
