"""`python -m home up`: the broker, the hub and every configured device, in one command."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.request
import webbrowser
from collections.abc import Mapping
from pathlib import Path

from broker.passwords import PasswordFileError, add_user
from common.args import bounded_float, port
from common.log import LEVELS, setup_logging
from common.mqtt import BrokerAddress, broker_url
from devices.assembly import default_name
from devices.kinds import UnknownKindError
from devices.params import ModelError
from home import simulate_cli
from home.models import model_of
from home.supervisor import Child, Supervisor
from hub.config.load import ConfigError, load_config
from hub.core.settings import DeviceEntry, HubConfig
from protocol import ProtocolError

READY_TIMEOUT_S = 30.0


def parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="python -m home",
        description="Start the whole simulated home: the MQTT broker, the hub with its "
        "dashboard, and one process per device in the config (up); or play it in memory, "
        "as fast as it goes, and report its energy (simulate).",
    )
    commands = result.add_subparsers(dest="command", required=True, metavar="{up,simulate}")
    up = commands.add_parser("up", help="start the home (Ctrl-C stops it)")
    up.add_argument("--config", type=Path, default=Path("home.toml"), help="(%(default)s)")
    up.add_argument(
        "--speed",
        type=bounded_float(0.001, 100000),
        default=_float_or_none(env.get("SPEED")),
        help="simulation speed, e.g. 60 (an hour a minute) or 1440 (env SPEED)",
    )
    up.add_argument(
        "--broker", type=broker_url, help="use this broker instead of starting the embedded one"
    )
    up.add_argument(
        "--mqtt-port",
        type=port,
        default=int(env.get("MQTT_PORT", 1883)),
        help="port of the embedded broker (env MQTT_PORT; %(default)s)",
    )
    up.add_argument(
        "--http-port",
        type=port,
        default=int(env.get("HTTP_PORT", 8000)),
        help="dashboard port (env HTTP_PORT; %(default)s)",
    )
    up.add_argument("--data-dir", type=Path, default=Path("data"), help="(%(default)s)")
    up.add_argument("--seed", type=int, default=1, help="random seed of the whole home")
    up.add_argument(
        "--auth",
        action="store_true",
        default=env.get("AUTH", "") not in ("", "0"),
        help="embedded broker with passwords and the ACL; credentials are generated into "
        "the data dir (env AUTH=1)",
    )
    up.add_argument("--no-browser", action="store_true", help="do not open the dashboard")
    up.add_argument("--log-level", choices=LEVELS, default="info")
    up.add_argument("--check", action="store_true", help="validate everything, then exit")
    simulate_cli.add_parser(commands)
    return result


def _float_or_none(text: str | None) -> float | None:
    return float(text) if text else None


def device_argv(
    entry: DeviceEntry, broker: BrokerAddress, config: HubConfig, args: argparse.Namespace
) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "devices",
        "--kind",
        entry.kind,
        "--id",
        entry.id,
        "--name",
        entry.name or default_name(entry.id),
        "--broker",
        broker.url,
        "--timezone",
        config.home.timezone.key,
        "--seed",
        str(args.seed),
        "--state-file",
        str(args.data_dir / "devices" / f"{entry.id}.json"),
    ]
    if entry.interval_s is not None:
        argv += ["--interval", str(entry.interval_s)]
    if args.speed is not None:
        argv += ["--speed", str(args.speed)]
    for key, value in entry.params.items():
        argv += ["--param", f"{key}={str(value).lower() if isinstance(value, bool) else value}"]
    return argv


def check_devices(config: HubConfig, source: Path) -> None:
    """Build every device's model once, so a typo in home.toml stops us before anything runs."""
    for entry in config.devices:
        try:
            model_of(entry, 1, time.time(), config.home.timezone)
        except (ModelError, UnknownKindError, ProtocolError) as exc:
            raise ConfigError(str(source), f"device {entry.id!r}: {exc}") from None


def port_free(number: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", number))
        except OSError:
            return False
    return True


def wait_until(ready, what: str, child: Child) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not ready():
        if not child.alive():
            raise RuntimeError(f"{what} exited while starting (see its lines above)")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not become ready in {READY_TIMEOUT_S:.0f} s")
        time.sleep(0.1)


def main(argv: list[str] | None = None, env: Mapping[str, str] = os.environ) -> int:
    cli = parser(env)
    args = cli.parse_args(argv)
    if args.command == "simulate":
        return simulate_cli.run(args)
    try:
        config = load_config(args.config)
        check_devices(config, args.config)
    except ConfigError as exc:
        cli.error(str(exc))
    broker = args.broker or BrokerAddress("127.0.0.1", args.mqtt_port)
    if args.check:
        print(
            f"ok: {config.home.name!r}, {len(config.devices)} devices, broker {broker.url}, "
            f"dashboard port {args.http_port}"
        )
        return 0
    log = setup_logging(args.log_level, "home")
    if args.broker is None and not port_free(args.mqtt_port):
        log.error(
            "MQTT port %d is taken (another broker?): set MQTT_PORT or --mqtt-port, or "
            "use that broker with --broker",
            args.mqtt_port,
        )
        return 1
    if args.auth and args.broker is not None:
        log.error("--auth works with the embedded broker only, not with --broker")
        return 1
    if not port_free(args.http_port):
        log.error("HTTP port %d is taken: set HTTP_PORT or --http-port", args.http_port)
        return 1
    return run(args, config, broker, log)


def make_credentials(data_dir: Path, users: list[str]) -> tuple[Path, dict[str, dict[str, str]]]:
    """A fresh password file in `data_dir` with a random password per user.

    Returns the file and, per user, the environment that logs the program in
    (MQTT_USERNAME/MQTT_PASSWORD: passwords never appear in the process list).
    The clear-text passwords are also kept in `mqtt-credentials.json` (mode 600)
    so a person can connect with mosquitto_pub as `hub`.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "mqtt-passwd"
    path.unlink(missing_ok=True)
    envs = {}
    for user in users:
        password = secrets.token_urlsafe(24)
        add_user(path, user, password)
        envs[user] = {"MQTT_USERNAME": user, "MQTT_PASSWORD": password}
    clear = data_dir / "mqtt-credentials.json"
    clear.unlink(missing_ok=True)
    fd = os.open(clear, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({u: e["MQTT_PASSWORD"] for u, e in envs.items()}, handle, indent=1)
    return path, envs


def run(args: argparse.Namespace, config: HubConfig, broker: BrokerAddress, log) -> int:
    credentials: dict[str, dict[str, str]] = {}
    password_file = None
    if args.auth:
        try:
            password_file, credentials = make_credentials(
                args.data_dir, ["hub", *(entry.id for entry in config.devices)]
            )
        except (PasswordFileError, OSError) as exc:
            log.error("cannot create the broker's credentials: %s", exc)
            return 1
        log.info("authentication on: credentials in %s", password_file.parent)
    supervisor = Supervisor({**os.environ, "PYTHONUNBUFFERED": "1"})
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    python = [sys.executable, "-m"]
    infrastructure: list[Child] = []
    devices: list[Child] = []
    try:
        if args.broker is None:
            broker_argv = [
                *python,
                "broker",
                "--port",
                str(args.mqtt_port),
                "--log-level",
                args.log_level,
            ]
            if password_file is not None:
                broker_argv += ["--password-file", str(password_file), "--acl"]
            embedded = supervisor.start(Child("broker", broker_argv))
            infrastructure.append(embedded)
            wait_until(lambda: not port_free(args.mqtt_port), "the broker", embedded)
        hub_argv = [
            *python,
            "hub",
            "--broker",
            broker.url,
            "--config",
            str(args.config),
            "--data-dir",
            str(args.data_dir),
            "--http-port",
            str(args.http_port),
            "--log-level",
            args.log_level,
        ]
        if args.speed is not None:
            hub_argv += ["--speed", str(args.speed)]
        hub = supervisor.start(Child("hub", hub_argv, env=credentials.get("hub", {})))
        infrastructure.insert(0, hub)
        url = f"http://127.0.0.1:{args.http_port}/"
        wait_until(lambda: _answers(url + "api/health"), "the hub", hub)
        for entry in config.devices:
            devices.append(
                supervisor.start(
                    Child(
                        entry.id,
                        device_argv(entry, broker, config, args),
                        env=credentials.get(entry.id, {}),
                    )
                )
            )
        log.info(
            "%s is up: %d devices. Dashboard: %s  (Ctrl-C stops everything)",
            config.home.name,
            len(devices),
            url,
        )
        # only with a screen: on a server, webbrowser may start a text browser in our terminal
        if not args.no_browser and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            webbrowser.open(url)
        while not stop.wait(0.5):
            supervisor.watch_once()
    except RuntimeError as exc:
        log.error("%s", exc)
        return 1
    finally:
        log.info("stopping: devices, then the hub, then the broker")
        supervisor.stop([devices, infrastructure[:1], infrastructure[1:]])
        log.info("stopped")
    return 0


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except OSError as exc:  # a 503 (still connecting) is an answer too
        return getattr(exc, "code", None) == 503


if __name__ == "__main__":
    sys.exit(main())
