"""`python -m bench <name> [--quick] [--json]`: run one benchmark, or `all` of them.

Each benchmark starts its own brokers, hub and devices on free ports in a
temporary directory, stops by itself and cleans up every process it started
(`realism`, `simulate`, `planner` and `manager` start none: they run the household's pure models in
memory).
It prints a table (figure, value, target, ratio, PASS/MISS) and, with
``--json``, one JSON object on the last line. The exit status is 0 whether or
not targets are met (the figures are the output); 2 for a usage error, 1 when
a benchmark could not run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import signal
import sys
import time

from bench.harness import BenchError, Result

BENCHMARKS = (
    "ingest",
    "latency",
    "soak",
    "history",
    "devices",
    "dashboard",
    "first-numbers",
    "energy",
    "realism",
    "simulate",
    "planner",
    "manager",
)


def load(name: str):
    """The module of a benchmark: `first-numbers` lives in bench/first_numbers.py."""
    return importlib.import_module(f"bench.{name.replace('-', '_')}")


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="python -m bench",
        description="Performance benchmarks of the smart home (see docs/performance.md).",
    )
    subs = result.add_subparsers(
        dest="name", required=True, metavar="{" + ",".join(BENCHMARKS) + ",all}"
    )
    for name in BENCHMARKS:
        module = load(name)
        sub = subs.add_parser(
            name,
            help=module.HELP,
            description=f"{module.HELP}. JSON keys: {', '.join(module.KEYS)}",
        )
        _common(sub)
        module.add_arguments(sub)
    every = subs.add_parser("all", help="every benchmark in turn (make bench: all --quick)")
    _common(every)
    return result


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--quick", action="store_true", help="a short run (under 40 s each)")
    sub.add_argument("--json", action="store_true", help="end with one JSON object on a line")


def run_one(name: str, args: argparse.Namespace) -> Result:
    started = time.monotonic()
    result = load(name).run(args)
    result.data["elapsed_s"] = round(time.monotonic() - started, 1)
    return result


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so each session stops every process group it started
    (a benchmark killed with `kill` once left a 200-device fleet running)."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("bench: interrupted; its processes are stopped", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.name == "all":
        results, failures = {}, {}
        for name in BENCHMARKS:
            sub = parser().parse_args([name, *(["--quick"] if args.quick else [])])
            try:
                result = run_one(name, sub)
            except BenchError as exc:
                print(f"== {name} ==\n  could not run: {exc}", flush=True)
                failures[name] = str(exc)
                continue
            print(result.table(), flush=True)
            results[name] = result.data
        if args.json:
            print(json.dumps({**results, **({"errors": failures} if failures else {})}))
        return 1 if failures else 0
    try:
        result = run_one(args.name, args)
    except BenchError as exc:
        print(f"{args.name}: could not run: {exc}", file=sys.stderr)
        return 1
    print(result.table(), flush=True)
    if args.json:
        print(json.dumps(result.data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
