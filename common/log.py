"""One log format for every process, so a launcher's merged output reads as one story."""

import logging

LEVELS = ("debug", "info", "warning", "error")

# Libraries that narrate every packet at INFO; a person wants our lines, not theirs.
_CHATTY = ("amqtt", "transitions", "websockets", "werkzeug", "engineio", "socketio")


def setup_logging(level: str, name: str) -> logging.Logger:
    """Configure the root logger once at a process's root and return its logger."""
    logging.basicConfig(
        level=getattr(logging, level.upper()),
        format=f"%(asctime)s {name} %(levelname)s %(message)s",
        datefmt="%H:%M:%S",
    )
    if level != "debug":
        for chatty in _CHATTY:
            logging.getLogger(chatty).setLevel(logging.WARNING)
    return logging.getLogger(name)
