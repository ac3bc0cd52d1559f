"""`python -m devices`: one simulated appliance per process, or a fleet for load tests."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from common.log import setup_logging
from common.mqtt import mqtt_settings
from devices import fleet
from devices.assembly import DeviceSpec, build_agent, build_model, default_name, load_saved
from devices.kinds import KIND_NAMES, UnknownKindError, get_kind
from devices.options import (
    add_common_arguments,
    install_stop_handlers,
    interval,
    parse_params,
)
from devices.params import ModelError
from devices.runtime import DeviceRuntime
from devices.state_file import StateFileError, make_directory
from protocol import ProtocolError, Topics, validate_device_id
from protocol.sim_clock import SimClock


def single_parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devices",
        description="Run one simulated appliance that speaks the home's MQTT contract.",
        epilog="Fleet mode for load tests: python -m devices fleet --help",
    )
    parser.add_argument("--kind", help=f"appliance kind: {', '.join(KIND_NAMES)}")
    parser.add_argument("--id", help="device id, e.g. kitchen-fridge ([a-z0-9][a-z0-9_-]*)")
    parser.add_argument("--name", help="display name (default: from the id)")
    parser.add_argument(
        "--interval",
        type=interval,
        default=2.0,
        help="seconds between state reports, 0.1-3600 (%(default)s)",
    )
    parser.add_argument(
        "--state-file", type=Path, help="keep the energy counter here across restarts"
    )
    parser.add_argument(
        "--ha-discovery",
        action="store_true",
        help="also publish Home Assistant MQTT discovery configs",
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="model parameter, repeatable (see --list-params)",
    )
    parser.add_argument("--list-kinds", action="store_true", help="list the kinds and exit")
    parser.add_argument(
        "--list-params", action="store_true", help="list the parameters of --kind and exit"
    )
    add_common_arguments(parser, env)
    return parser


def list_kinds() -> None:
    for name in KIND_NAMES:
        kind = get_kind(name)
        print(f"{name:<16} {kind.role:<9} {kind.summary}")


def main(argv: list[str] | None = None, env: Mapping[str, str] = os.environ) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["fleet"]:
        return fleet.main(argv[1:], env)
    parser = single_parser(env)
    args = parser.parse_args(argv)
    if args.list_kinds:
        list_kinds()
        return 0
    try:
        if args.list_params:
            if not args.kind:
                parser.error("--list-params needs --kind")
            for name, param in get_kind(args.kind).declared_params().items():
                print(f"{name:<14} {param.describe()}")
            return 0
        if not args.kind or not args.id:
            parser.error("--kind and --id are required (or --list-kinds)")
        root = Topics(args.topic_root)
        spec = DeviceSpec(
            device_id=validate_device_id(args.id),
            kind=args.kind,
            name=args.name or default_name(args.id),
            params=parse_params(parser, args.param),
            interval_s=args.interval,
            state_path=args.state_file,
            ha_discovery=args.ha_discovery,
        )
        clock = SimClock(args.speed, time.time())
        model = build_model(spec, args.seed, clock.now(time.time()), args.timezone)
        saved = load_saved(spec)
    except (ProtocolError, ModelError, UnknownKindError, StateFileError) as exc:
        parser.error(str(exc))
    if args.check:
        print(f"ok: {spec.kind} {spec.device_id!r} on {args.broker.url}")
        return 0
    if spec.state_path is not None:
        try:
            make_directory(spec.state_path)
        except StateFileError as exc:
            parser.error(str(exc))
    log = setup_logging(args.log_level, f"device[{spec.device_id}]")
    runtime = DeviceRuntime(mqtt_settings(args), root, clock)
    runtime.add_device(
        spec.device_id, lambda publish: build_agent(spec, model, saved, root, publish)
    )
    install_stop_handlers(runtime)
    log.info(
        "%s %r (%s) on %s, reporting every %gs%s",
        spec.kind,
        spec.device_id,
        spec.name,
        args.broker.url,
        spec.interval_s,
        f", counter continues at {saved.energy_wh:.1f} Wh" if saved.energy_wh else "",
    )
    runtime.run()
    log.info("stopped; published offline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
