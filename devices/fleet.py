"""`python -m devices fleet`: many simulated devices in one process, for load tests.

Each device still has its own MQTT connection and last will, exactly as if it
were its own process; only the scheduler thread is shared.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Mapping

from common.log import setup_logging
from common.mqtt import mqtt_settings
from devices.assembly import DeviceSpec, build_agent, build_model, default_name
from devices.kinds import KIND_NAMES, UnknownKindError, get_kind
from devices.options import add_common_arguments, install_stop_handlers, interval
from devices.params import ModelError
from devices.runtime import DeviceRuntime
from devices.state_file import SavedState
from protocol import ProtocolError, Topics
from protocol.sim_clock import SimClock

# replay needs a trace file, which a generated fleet does not have
DEFAULT_KINDS = tuple(kind for kind in KIND_NAMES if kind != "replay")


def fleet_specs(count: int, kinds: tuple[str, ...], interval_s: float) -> list[DeviceSpec]:
    """`count` devices cycling through `kinds`, with ids `<kind>-<n>`."""
    specs = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        device_id = f"{kind.replace('_', '-')}-{index // len(kinds) + 1}"
        specs.append(DeviceSpec(device_id, kind, default_name(device_id), interval_s=interval_s))
    return specs


def parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="python -m devices fleet",
        description="Run N simulated devices in one process, each with its own MQTT connection.",
    )
    result.add_argument("--count", type=int, required=True, help="number of devices")
    result.add_argument(
        "--kinds",
        default=",".join(DEFAULT_KINDS),
        help="comma-separated kinds to cycle through (default: all but replay)",
    )
    result.add_argument(
        "--interval", type=interval, default=1.0, help="seconds between state reports (%(default)s)"
    )
    add_common_arguments(result, env)
    return result


def main(argv: list[str], env: Mapping[str, str]) -> int:
    args_parser = parser(env)
    args = args_parser.parse_args(argv)
    if not 1 <= args.count <= 10000:
        args_parser.error("--count must be between 1 and 10000")
    kinds = tuple(kind.strip() for kind in args.kinds.split(",") if kind.strip())
    try:
        for kind in kinds:
            get_kind(kind)
        if not kinds:
            raise ModelError("--kinds is empty")
        topics = Topics(args.topic_root)
        clock = SimClock(args.speed, time.time())
        start = clock.now(time.time())
        specs = fleet_specs(args.count, kinds, args.interval)
        models = [build_model(spec, args.seed, start, args.timezone) for spec in specs]
    except (ProtocolError, ModelError, UnknownKindError) as exc:
        args_parser.error(str(exc))
    if args.check:
        print(f"ok: {len(specs)} devices on {args.broker.url}")
        return 0
    log = setup_logging(args.log_level, "fleet")
    # hundreds of devices each saying "connected" drown the useful lines
    logging.getLogger("devices").setLevel(max(logging.WARNING, log.getEffectiveLevel()))
    runtime = DeviceRuntime(mqtt_settings(args), topics, clock)
    for spec, model in zip(specs, models, strict=True):
        saved = SavedState(spec.device_id, spec.kind)
        runtime.add_device(
            spec.device_id,
            lambda publish, spec=spec, model=model, saved=saved: build_agent(
                spec, model, saved, topics, publish
            ),
        )
    install_stop_handlers(runtime)
    log.info(
        "%d devices (%s) on %s, every %gs",
        len(specs),
        ", ".join(kinds),
        args.broker.url,
        args.interval,
    )
    runtime.run()
    log.info("stopped; all devices published offline")
    return 0
