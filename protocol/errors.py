"""The one error type of the protocol package.

Every rejection of untrusted input (a topic, an id, a payload) raises
`ProtocolError`, so an MQTT callback, a CLI or a web handler needs exactly one
``except`` clause at its edge. The message is written for the person who sent
the bad input: it names the field, the rule and the value that broke it, and is
safe to echo back (it is what a device puts in a failed command's ``error``).
"""

from __future__ import annotations


class ProtocolError(ValueError):
    """Input that does not follow the MQTT contract; ``str(error)`` says exactly why."""
