"""The one error type of the protocol package.

Every rejection of untrusted input (a topic, an id, a payload) raises
`ProtocolError`, so an MQTT callback, a CLI or a web handler needs exactly one
``except`` clause at its edge. The message is written for the person who sent
the bad input: it names the field, the rule and the value that broke it, and is
safe to echo back (it is what a device puts in a failed command's ``error``).
Where a program may want to tell refusals apart (a device's reply to a bad
command), ``code`` names the category; the message stays free to change.
"""

from __future__ import annotations


class ProtocolError(ValueError):
    """Input that does not follow the MQTT contract; ``str(error)`` says exactly why."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code
