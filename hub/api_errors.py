"""The errors of the hub's public API: typed, so the web can answer with the right status
without knowing the hub's internals."""


class CommandTimeout(Exception):
    """The device did not answer in time (offline, or too busy)."""


class InvalidRequest(ValueError):
    """Input the hub will not act on; the message names the field and the rule. Nothing changed."""


class NotFound(LookupError):
    """No such device or open alert."""


class Unavailable(RuntimeError):
    """The hub cannot answer now (its log failed, or its core is overloaded); try again later."""
