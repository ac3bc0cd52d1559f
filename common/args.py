"""argparse types that turn bad flags into one clear line instead of a traceback."""

import argparse
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def port(text: str) -> int:
    """A TCP port; 0 is refused because a person must know where to connect."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is outside 1-65535")
    return value


def bounded_float(low: float, high: float) -> Callable[[str], float]:
    """An argparse type for a finite number in [low, high]."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g}..{high:g}")
        return value

    return parse


def timezone(text: str) -> ZoneInfo:
    """An IANA time zone name such as Europe/London."""
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"unknown time zone {text!r}: use an IANA name such as Europe/London"
        ) from None
