"""`python -m hub`: the home's hub, and `python -m hub export` for its log."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path

from common.args import bounded_float, port
from common.log import LEVELS, setup_logging
from common.mqtt import add_mqtt_arguments, mqtt_settings
from hub.config.load import ConfigError, load_config
from hub.core.settings import DEFAULT_CONFIG, HubConfig
from hub.process import HubProcess, HubSettings, HubStartError
from hub.store.database import Store, db_path
from hub.store.export import FORMATS, RESOLUTIONS, export, parse_time
from hub.store.schema import StoreError
from protocol import DEFAULT_ROOT, ProtocolError, Topics, validate_device_id

DEFAULT_CONFIG_PATH = Path("home.toml")


def hub_parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hub",
        description="Run the hub: discovers devices on MQTT, meters energy and cost, raises "
        "alerts, sheds load, logs to SQLite and serves the dashboard.",
        epilog="Export the log: python -m hub export --help",
    )
    add_mqtt_arguments(parser, env)
    parser.add_argument("--topic-root", default=DEFAULT_ROOT, help="topic root (%(default)s)")
    parser.add_argument(
        "--config",
        type=Path,
        help="home.toml to read (default: ./home.toml if present, else defaults)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("data"),
        help="where the log (hub.db) lives (%(default)s)",
    )
    parser.add_argument("--http-host", default="127.0.0.1", help="(%(default)s)")
    parser.add_argument("--http-port", type=port, default=8000, help="(%(default)s)")
    parser.add_argument(
        "--auth-token",
        default=env.get("HUB_AUTH_TOKEN") or None,
        help="require this token for every command and settings change from the web "
        "(env HUB_AUTH_TOKEN); viewing stays open",
    )
    parser.add_argument(
        "--speed",
        type=bounded_float(0.001, 100000),
        default=env.get("SPEED") or None,
        help="run the home's simulation clock this many times faster than "
        "real time and publish it for the devices (1440 = a day a minute; env SPEED)",
    )
    parser.add_argument(
        "--server",
        choices=("werkzeug", "gunicorn"),
        default="werkzeug",
        help="HTTP server: werkzeug (default, for a desktop or a LAN) or gunicorn "
        "(production: one worker, many threads)",
    )
    parser.add_argument(
        "--ha-discovery",
        action="store_true",
        help="announce the home's grid import, export, solar and net power to Home "
        "Assistant (retained MQTT discovery configs), for its Energy dashboard",
    )
    parser.add_argument("--log-level", choices=LEVELS, default="info")
    parser.add_argument("--check", action="store_true", help="validate everything, then exit")
    return parser


def export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hub export",
        description="Write the hub's log as CSV or JSON lines (safe while the hub runs).",
    )
    parser.add_argument(
        "--from",
        dest="from_",
        required=True,
        help="start: Unix seconds, a date (local midnight) or a local date-time",
    )
    parser.add_argument("--to", required=True, help="end (exclusive), same forms")
    parser.add_argument("--device", action="append", help="only this device (repeatable)")
    parser.add_argument("--format", choices=FORMATS, default="csv")
    parser.add_argument(
        "--resolution",
        choices=RESOLUTIONS,
        default="raw",
        help="raw readings or 1-minute rollups (%(default)s)",
    )
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--config", type=Path, help="for the time zone of --from/--to")
    parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
    return parser


def read_config(parser: argparse.ArgumentParser, path: Path | None) -> HubConfig:
    try:
        if path is not None:
            return load_config(path)
        if DEFAULT_CONFIG_PATH.exists():
            return load_config(DEFAULT_CONFIG_PATH)
        return DEFAULT_CONFIG
    except ConfigError as exc:
        parser.error(str(exc))
        raise AssertionError("unreachable") from exc


def main(argv: list[str] | None = None, env: Mapping[str, str] = os.environ) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["export"]:
        return run_export(argv[1:])
    parser = hub_parser(env)
    args = parser.parse_args(argv)
    config = read_config(parser, args.config)
    try:
        topics = Topics(args.topic_root)
    except ProtocolError as exc:
        parser.error(str(exc))
    settings = HubSettings(
        mqtt_settings(args),
        topics,
        config,
        args.data_dir,
        args.http_host,
        args.http_port,
        args.speed,
        args.auth_token,
        args.ha_discovery,
    )
    if args.check:
        print(
            f"ok: hub for {config.home.name!r} on {settings.mqtt.broker.url}, "
            f"{len(config.thresholds)} thresholds, {len(config.devices)} configured devices"
        )
        return 0
    log = setup_logging(args.log_level, "hub")
    if args.server == "gunicorn":
        from hub.production import HubServer

        HubServer(lambda: HubProcess(settings), f"{args.http_host}:{args.http_port}").run()
        return 0
    try:
        hub = HubProcess(settings)
    except (HubStartError, StoreError, ConfigError) as exc:  # ConfigError: saved settings
        log.error("cannot start: %s", exc)
        return 1
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: hub.stop())
    try:
        hub.run()
    except HubStartError as exc:
        log.error("cannot start: %s", exc)
        return 1
    log.info("stopped; log flushed")
    return 0


def run_export(argv: list[str]) -> int:
    parser = export_parser()
    args = parser.parse_args(argv)
    config = read_config(parser, args.config)
    tz = config.home.timezone
    try:
        start = parse_time(args.from_, tz, "--from")
        end = parse_time(args.to, tz, "--to")
        devices = [validate_device_id(d) for d in args.device] if args.device else None
    except (ValueError, ProtocolError) as exc:
        parser.error(str(exc))
    path = db_path(args.data_dir)
    if not path.exists():
        parser.error(f"no log at {path}: has the hub run with --data-dir {args.data_dir}?")
    try:
        store = Store.open(path, read_only=True)
    except StoreError as exc:
        parser.error(str(exc))
    out = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        rows = export(store, out, start, end, devices, args.format, args.resolution)
    finally:
        if args.output:
            out.close()
        store.close()
    print(f"exported {rows} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
