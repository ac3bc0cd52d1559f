"""Flags and process plumbing shared by `python -m devices` and its fleet mode."""

import argparse
import signal
from collections.abc import Mapping

from common.args import bounded_float, timezone
from common.log import LEVELS
from common.mqtt import add_mqtt_arguments
from devices.runtime import DeviceRuntime
from protocol import DEFAULT_ROOT

interval = bounded_float(0.1, 3600)
speed = bounded_float(0.001, 100000)


def add_common_arguments(parser: argparse.ArgumentParser, env: Mapping[str, str]) -> None:
    add_mqtt_arguments(parser, env)
    parser.add_argument("--topic-root", default=DEFAULT_ROOT, help="topic root (%(default)s)")
    parser.add_argument(
        "--speed",
        type=speed,
        default=1.0,
        help="simulation speed when no hub clock is published (1 = real time; 1440 = a day a "
        "minute); the hub's clock on ROOT/hub/clock always wins",
    )
    parser.add_argument(
        "--timezone",
        type=timezone,
        default="Europe/London",
        help="local time for the occupant's habits (%(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="random seed: the same seed replays the same day (%(default)s)",
    )
    parser.add_argument("--log-level", choices=LEVELS, default="info")
    parser.add_argument(
        "--check",
        action="store_true",
        help="validate the arguments (and build the models), then exit",
    )


def parse_params(parser: argparse.ArgumentParser, items: list[str]) -> dict[str, str]:
    params = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error(f"--param {item!r}: expected KEY=VALUE, e.g. rated_w=2400")
        params[key.strip()] = value.strip()
    return params


def install_stop_handlers(runtime: DeviceRuntime) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: runtime.stop())
