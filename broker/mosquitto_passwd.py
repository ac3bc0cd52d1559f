"""Lines of a Mosquitto 2 password file, written without the `mosquitto_passwd` program.

The compose home generates its broker users in a container of our own image,
which has no Mosquitto; the broker container reads the file. Mosquitto 2's
format is `name:$7$iterations$salt$hash`: PBKDF2-HMAC-SHA512 over a 12-byte
salt, a 64-byte key, both in standard base64, and 101 iterations, as
`mosquitto_passwd` itself writes them.
"""

import base64
import hashlib
import os

ITERATIONS = 101
SALT_BYTES = 12
KEY_BYTES = 64


def password_line(name: str, password: str, salt: bytes | None = None) -> str:
    """One `name:hash` line; a fresh random salt unless one is given (tests)."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, ITERATIONS, KEY_BYTES)
    encoded = [base64.b64encode(part).decode("ascii") for part in (salt, key)]
    return f"{name}:$7${ITERATIONS}${encoded[0]}${encoded[1]}"
