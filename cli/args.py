"""argparse types that turn bad flags into one clear line instead of a traceback."""

import argparse


def port(text: str) -> int:
    """A TCP port; 0 is refused because a person must know where to connect."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is outside 1-65535")
    return value
