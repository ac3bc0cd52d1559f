"""The embedded broker's password file: `name:argon2-hash` lines, as amqtt reads them."""

import os
import re
import tempfile
from pathlib import Path

from pwdlib.hashers.argon2 import Argon2Hasher

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


class PasswordFileError(Exception):
    """A user mistake with the password file, worded for the person who made it."""


def validate_username(name: str) -> str:
    if not USERNAME_PATTERN.match(name):
        raise PasswordFileError(
            f"user name {name!r} is not allowed: use 1-64 letters, digits, '.', '_', '-' or '@'"
        )
    return name


def add_user(path: Path, name: str, password: str) -> bool:
    """Add `name` to the password file or replace its password; True when it was new.

    The file is rewritten atomically (temporary file + rename) so a broker
    reading it concurrently never sees half a file, and other lines, comments
    included, are kept as they were.
    """
    validate_username(name)
    if not password:
        raise PasswordFileError("the password is empty")
    entry = f"{name}:{Argon2Hasher().hash(password)}"
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    except (OSError, UnicodeDecodeError) as exc:
        raise PasswordFileError(f"cannot read {path}: {exc}") from exc
    prefix = name + ":"
    is_new = not any(line.startswith(prefix) for line in lines)
    lines = [line for line in lines if not line.startswith(prefix)] + [entry]
    _write_atomically(path, "\n".join(lines) + "\n")
    return is_new


def _write_atomically(path: Path, text: str) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        raise PasswordFileError(f"cannot write {path}: {exc}") from exc


def read_users(path: Path) -> list[str]:
    """The user names in a password file, after checking every line the way amqtt will.

    amqtt's own errors name neither the line nor the fix, so the file is checked
    here first and a mistake is reported as `file:line: what is wrong`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PasswordFileError(
            f"password file {path} does not exist: create it with "
            f"'python -m broker adduser NAME --password-file {path}'"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PasswordFileError(f"cannot read password file {path}: {exc}") from exc
    users = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, hashed = line.partition(":")
        if not sep or not USERNAME_PATTERN.match(name) or not hashed.startswith(_HASH_PREFIXES):
            raise PasswordFileError(
                f"{path}:{number}: expected 'name:hash' with an argon2 or bcrypt hash "
                "(made by 'python -m broker adduser')"
            )
        users.append(name)
    return users


_HASH_PREFIXES = ("$argon2", "$2a$", "$2b$", "$2y$")
