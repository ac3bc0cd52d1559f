"""MQTT brokers on free loopback ports: Mosquitto 2 or the embedded amqtt broker."""

from __future__ import annotations

import os
from pathlib import Path

from common.mqtt import BrokerAddress
from testkit.ports import HOST, free_port, port_open, wait_for
from testkit.processes import ManagedProcess, Processes
from testkit.programs import python_module, require_program

BrokerEndpoint = BrokerAddress
"""The programs' own notion of "where the broker is"."""

KINDS = ("mosquitto", "embedded")


def mosquitto_config(port: int, *extra_lines: str) -> str:
    # As root, Mosquitto drops to user 'mosquitto', which cannot read pytest's private
    # temporary directories; staying root is harmless for a test broker on loopback.
    user = ["user root"] if os.geteuid() == 0 else []
    lines = [f"listener {port} {HOST}", "persistence false", *user, *extra_lines]
    return "\n".join(lines) + "\n"


class Broker:
    """A broker on a port of its own that can be killed and started again on that port.

    `options` are configuration lines for Mosquitto (written to a file in `directory`,
    the log directory unless given) and command-line arguments for the embedded broker.
    """

    def __init__(
        self, procs: Processes, kind: str, *options: str, directory: Path | None = None
    ) -> None:
        if kind not in KINDS:
            raise procs.error(f"unknown broker {kind!r}: mosquitto or embedded")
        self.procs, self.kind, self.options = procs, kind, options
        self.directory = directory or procs.log_dir
        self.endpoint = BrokerEndpoint(HOST, free_port())
        self.process: ManagedProcess | None = None
        self.start()

    def start(self) -> None:
        port = self.endpoint.port
        if self.kind == "mosquitto":
            binary = require_program("mosquitto", "mosquitto", self.procs.missing)
            config = self.directory / f"mosquitto-{port}.conf"
            config.write_text(mosquitto_config(port, *self.options))
            process = self.procs.start("mosquitto", [binary, "-c", str(config)])
        else:
            argv = python_module("broker", "--port", str(port), *self.options)
            process = self.procs.start("broker", argv)
        self.process = process
        what = f"the {self.kind} broker's port {port}"
        wait_for(lambda: port_open(port) or not process.alive(), 20, what, error=self.procs.error)
        if not process.alive():
            raise self.procs.error(f"{self.kind} broker exited:\n{process.output()}")

    def kill(self) -> None:
        """SIGKILL, as a crash would: no goodbyes, the port closes."""
        assert self.process is not None
        self.process.send_signal(9)
        self.process.wait_exit()
        wait_for(lambda: not port_open(self.endpoint.port), 5, "the port to close")


def start_embedded_broker(procs: Processes, *args: str) -> BrokerEndpoint:
    return Broker(procs, "embedded", *args).endpoint


def start_mosquitto(procs: Processes, directory: Path, *config_lines: str) -> BrokerEndpoint:
    return Broker(procs, "mosquitto", *config_lines, directory=directory).endpoint


def anonymous_broker(procs: Processes, kind: str, *mosquitto_lines: str) -> Broker:
    """A broker anyone may use (Mosquitto 2 refuses anonymous clients unless told)."""
    options = ["allow_anonymous true", *mosquitto_lines] if kind == "mosquitto" else []
    return Broker(procs, kind, *options)
