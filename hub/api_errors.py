"""The errors of the hub's public API: typed, so the web can answer with the right status
without knowing the hub's internals (the store's own errors are turned into these here)."""

from collections.abc import Iterator
from contextlib import contextmanager

from hub.store.schema import BadQueryError, StoreError


class CommandTimeout(Exception):
    """The device did not answer in time (offline, or too busy)."""


class InvalidRequest(ValueError):
    """Input the hub will not act on; the message names the field and the rule. Nothing changed."""


class NotFound(LookupError):
    """No such device or open alert."""


class Unavailable(RuntimeError):
    """The hub cannot answer now (its log failed, or its core is overloaded); try again later."""


@contextmanager
def store_errors() -> Iterator[None]:
    """The store's errors as the API's: a query it will not answer is the caller's to
    change (InvalidRequest), a log that cannot be read is the hub's to fix (Unavailable)."""
    try:
        yield
    except BadQueryError as exc:
        raise InvalidRequest(str(exc)) from None
    except StoreError as exc:
        raise Unavailable(str(exc)) from exc
