"""The secrets of the compose home, used when BIND publishes it beyond this machine.

`docker compose up` first runs `init` in a one-shot container: it makes, once,
a random password per broker user (`hub` and every device of home.toml) and
the hub's web token in the secrets volume, and writes Mosquitto's password
file from them on every start (a device added to home.toml gets its user; one
removed loses it). Later starts keep what exists, so a restart changes no
password. It does so with or without BIND: switching BIND on later finds
everything ready.

The hub and every device start through `exec`. With BIND set it reads the
password of the program's own broker user (the `--id` of a device, `hub` for
the hub), and for the hub the token, into the environment the programs
already read (MQTT_USERNAME, MQTT_PASSWORD, HUB_AUTH_TOKEN), so no secret
shows in the compose file or the process list; without BIND (published on
127.0.0.1, anonymous broker) it changes nothing. Then it execs the command.

The volume's layout:
    hub-token          the dashboard's token (mode 600)
    mqtt/<user>        each broker user's password (mode 600)
    mosquitto-passwd   the broker's password file: hashes only, readable by
                       the broker, which runs as another user
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from broker.acl import HUB_USER
from broker.mosquitto_passwd import password_line
from hub.config.load import ConfigError, load_config

TOKEN_FILE = "hub-token"
PASSWORDS_DIR = "mqtt"
MOSQUITTO_FILE = "mosquitto-passwd"


class SecretsError(Exception):
    """Something a person must fix before the home can start, said in one line."""


def ensure_secrets(directory: Path, users: list[str]) -> list[str]:
    """Create what is missing (passwords, token), rewrite the broker's file; the new users."""
    passwords = directory / PASSWORDS_DIR
    passwords.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = [user for user in users if _create_once(passwords / user)]
    _create_once(directory / TOKEN_FILE)
    lines = [password_line(user, _read(passwords / user)) for user in users]
    _replace(directory / MOSQUITTO_FILE, "\n".join(lines) + "\n", 0o644)
    return created


def login_env(argv: list[str], directory: Path) -> dict[str, str]:
    """The environment that logs the program `argv` in: its broker user, and the hub's token."""
    user = broker_user(argv)
    env = {"MQTT_USERNAME": user, "MQTT_PASSWORD": _read(directory / PASSWORDS_DIR / user)}
    if user == HUB_USER:
        env["HUB_AUTH_TOKEN"] = _read(directory / TOKEN_FILE)
    return env


def broker_user(argv: list[str]) -> str:
    """A device logs in as its `--id` (the only name the ACL lets publish there); the hub as hub."""
    if "--id" in argv[:-1]:
        return argv[argv.index("--id") + 1]
    if argv[1:3] == ["-m", "hub"]:
        return HUB_USER
    raise SecretsError(f"cannot tell which broker user runs {' '.join(argv)!r}: no --id")


def _create_once(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(24) + "\n")
    return True


def _read(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretsError(f"cannot read {path} ({exc.strerror}): did 'init' run?") from None
    if not text:
        raise SecretsError(f"{path} is empty: remove it and start again to make a new one")
    return text


def _replace(path: Path, text: str, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def main(argv: list[str] | None = None, env: Mapping[str, str] = os.environ) -> int:
    cli = argparse.ArgumentParser(
        prog="python -m home.compose_secrets",
        description="Broker users and the hub's token of the compose home, used with BIND set.",
    )
    commands = cli.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="make what is missing in DIR (every start)")
    init.add_argument("--config", type=Path, default=Path("home.toml"), help="(%(default)s)")
    run = commands.add_parser(
        "exec", help="run COMMAND, with BIND set logged in as its own broker user"
    )
    run.add_argument("command_argv", nargs=argparse.REMAINDER, metavar="-- COMMAND")
    for command in (init, run):
        command.add_argument("--dir", type=Path, required=True, help="the secrets volume")
    args = cli.parse_args(argv)
    try:
        if args.command == "init":
            config = load_config(args.config)
            created = ensure_secrets(args.dir, [HUB_USER, *(d.id for d in config.devices)])
            print(
                f"secrets in {args.dir}: {len(config.devices) + 1} broker users, "
                f"{len(created)} new; the hub's token is in {args.dir / TOKEN_FILE}"
            )
            return 0
        command = args.command_argv[1:] if args.command_argv[:1] == ["--"] else args.command_argv
        if not command:
            cli.error("exec needs a command after --")
        login = login_env(command, args.dir) if env.get("BIND") else {}
        os.execvpe(command[0], command, {**env, **login})
    except (ConfigError, SecretsError, OSError) as exc:  # OSError: no such program, too
        print(f"compose_secrets: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
