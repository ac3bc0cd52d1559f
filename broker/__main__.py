"""`python -m broker`: the embedded MQTT broker, and `adduser` for its password file."""

import argparse
import asyncio
import getpass
import logging
import signal
import sys
from pathlib import Path

from broker.passwords import PasswordFileError, add_user, read_users
from broker.server import BrokerSettings, BrokerStartError, start_broker
from common.args import port
from common.log import LEVELS, setup_logging
from protocol import DEFAULT_ROOT, ProtocolError, validate_topic_root

DEFAULT_PASSWORD_FILE = Path("data/passwd")


def serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m broker",
        description="Run the embedded MQTT 3.1.1 broker (amqtt) for a simulated home.",
        epilog="Subcommand: 'python -m broker adduser NAME' adds a user to a password file.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    parser.add_argument("--port", type=port, default=1883, help="MQTT port (%(default)s)")
    parser.add_argument("--ws-port", type=port, help="also serve MQTT over WebSocket on this port")
    parser.add_argument(
        "--password-file",
        type=Path,
        help="require a user name and password from this file (anonymous clients refused)",
    )
    parser.add_argument(
        "--acl",
        action="store_true",
        help="devices may publish only under ROOT/<their id>/, the 'hub' user anywhere under ROOT",
    )
    parser.add_argument("--topic-root", default=DEFAULT_ROOT, help="topic root (%(default)s)")
    parser.add_argument("--log-level", choices=LEVELS, default="info")
    parser.add_argument("--check", action="store_true", help="validate the flags and exit")
    return parser


def adduser_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m broker adduser",
        description="Add a user to the broker's password file, or change its password.",
    )
    parser.add_argument("name", help="'hub' for the hub, a device id for a device")
    parser.add_argument(
        "--password-file", type=Path, default=DEFAULT_PASSWORD_FILE, help="(%(default)s)"
    )
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["adduser"]:
        return run_adduser(adduser_parser().parse_args(argv[1:]))
    parser = serve_parser()
    args = parser.parse_args(argv)
    try:
        root = validate_topic_root(args.topic_root)
        if args.password_file is not None and not read_users(args.password_file):
            print(
                f"warning: {args.password_file} has no users; every client will be refused",
                file=sys.stderr,
            )
    except (ProtocolError, PasswordFileError) as exc:
        parser.error(str(exc))
    settings = BrokerSettings(
        host=args.host,
        port=args.port,
        ws_port=args.ws_port,
        password_file=args.password_file,
        acl=args.acl,
        topic_root=root,
    )
    if args.check:
        print(f"ok: would serve {settings.url}")
        return 0
    log = setup_logging(args.log_level, "broker")
    if args.acl and args.password_file is None:
        log.warning("--acl without --password-file trusts whatever user name a client claims")
    try:
        asyncio.run(_serve_until_signal(settings, log))
    except BrokerStartError as exc:
        log.error("cannot start: %s", exc)
        return 1
    log.info("stopped")
    return 0


async def _serve_until_signal(settings: BrokerSettings, log: logging.Logger) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    broker = await start_broker(settings)
    ws = f", MQTT over WebSocket on port {settings.ws_port}" if settings.ws_port else ""
    auth = "password file" if settings.password_file else "anonymous allowed"
    acl = "on" if settings.acl else "off"
    log.info("listening on %s%s (auth: %s, acl: %s)", settings.url, ws, auth, acl)
    await stop.wait()
    log.info("shutting down")
    await broker.shutdown()


def run_adduser(args: argparse.Namespace) -> int:
    try:
        password = _read_password(args.password_stdin)
        args.password_file.parent.mkdir(parents=True, exist_ok=True)
        is_new = add_user(args.password_file, args.name, password)
    except PasswordFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\ncancelled", file=sys.stderr)
        return 1
    verb = "added" if is_new else "updated"
    print(f"{verb} user {args.name!r} in {args.password_file}")
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise PasswordFileError("the two passwords differ")
    return first


if __name__ == "__main__":
    sys.exit(main())
