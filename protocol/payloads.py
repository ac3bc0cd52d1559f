"""Every payload of the contract, in one import.

The classes live in `device_payloads`, `command_payloads` and `hub_payloads`
by who publishes them; this module is the stable place to import them from.
"""

from protocol.command_payloads import (
    COMMAND_KEYS,
    RESULT_RAW_MAX_CHARS,
    Command,
    CommandResult,
)
from protocol.device_payloads import (
    CONSUMER,
    OFFLINE,
    ONLINE,
    PRODUCER,
    PROTOCOL_VERSION,
    STORAGE,
    Meta,
    State,
    parse_availability,
)
from protocol.fields import MAX_PAYLOAD_BYTES
from protocol.hub_payloads import (
    ALERT_LEVELS,
    ALERT_STATES,
    Alert,
    Clock,
    Prices,
    PriceSlot,
    Summary,
)

__all__ = [
    "ALERT_LEVELS",
    "ALERT_STATES",
    "COMMAND_KEYS",
    "CONSUMER",
    "MAX_PAYLOAD_BYTES",
    "OFFLINE",
    "ONLINE",
    "PRODUCER",
    "PROTOCOL_VERSION",
    "RESULT_RAW_MAX_CHARS",
    "STORAGE",
    "Alert",
    "Clock",
    "Command",
    "CommandResult",
    "Meta",
    "PriceSlot",
    "Prices",
    "State",
    "Summary",
    "parse_availability",
]
