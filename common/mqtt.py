"""Connecting to the broker the way every program of the project does.

One place for the `--broker`/`--username`/`--password` flags and for the paho
client they produce (protocol MQTT 3.1.1, callback API 2, a retained `offline`
last will, reconnect back-off), so devices and the hub behave alike on a
flaky network.
"""

import argparse
import contextlib
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt

from protocol import OFFLINE

DEFAULT_BROKER = "mqtt://127.0.0.1:1883"
RECONNECT_MIN_S = 1
RECONNECT_MAX_S = 10
KEEPALIVE_S = 10


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"


@dataclass(frozen=True)
class MqttSettings:
    broker: BrokerAddress
    username: str | None = None
    password: str | None = None


def broker_url(text: str) -> BrokerAddress:
    """`mqtt://host[:port]` (or `host[:port]`) as an address; argparse type."""
    parsed = urlsplit(text if "://" in text else f"mqtt://{text}")
    if parsed.scheme != "mqtt":
        raise argparse.ArgumentTypeError(
            f"{text!r}: only mqtt://host:port is supported (no TLS or WebSocket URLs)"
        )
    try:
        port = parsed.port or 1883
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: the port is not a number 1-65535") from None
    if not parsed.hostname or parsed.path not in ("", "/"):
        raise argparse.ArgumentTypeError(f"{text!r}: expected mqtt://host:port")
    return BrokerAddress(parsed.hostname, port)


def add_mqtt_arguments(parser: argparse.ArgumentParser, env: Mapping[str, str]) -> None:
    """The connection flags; MQTT_URL, MQTT_USERNAME and MQTT_PASSWORD give defaults."""
    parser.add_argument(
        "--broker",
        type=broker_url,
        default=env.get("MQTT_URL", DEFAULT_BROKER),
        help="broker URL, mqtt://host:port (env MQTT_URL; default %(default)s)",
    )
    parser.add_argument(
        "--username", default=env.get("MQTT_USERNAME"), help="user name (env MQTT_USERNAME)"
    )
    parser.add_argument(
        "--password",
        default=env.get("MQTT_PASSWORD"),
        help="password (env MQTT_PASSWORD keeps it out of the process list)",
    )


def mqtt_settings(args: argparse.Namespace) -> MqttSettings:
    broker = args.broker if isinstance(args.broker, BrokerAddress) else broker_url(args.broker)
    return MqttSettings(broker, args.username, args.password)


def new_client(
    settings: MqttSettings,
    client_id: str,
    availability_topic: str | None,
    client_class: type[mqtt.Client] = mqtt.Client,
) -> mqtt.Client:
    """A paho client with our will (if it speaks for an availability topic) and back-off;
    the caller sets callbacks and connects.

    The client id gets a random suffix: a restarted process must not be taken
    for, and kicked out by, the ghost of its previous connection.
    """
    client = client_class(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=f"{client_id}-{uuid.uuid4().hex[:6]}",
        protocol=mqtt.MQTTv311,
    )
    if settings.username is not None:
        client.username_pw_set(settings.username, settings.password)
    if availability_topic is not None:
        client.will_set(availability_topic, OFFLINE, qos=1, retain=True)
    client.reconnect_delay_set(RECONNECT_MIN_S, RECONNECT_MAX_S)
    return client


def connect_in_background(client: mqtt.Client, settings: MqttSettings) -> None:
    """Start connecting and keep retrying; never raises for an unreachable broker."""
    client.connect_async(settings.broker.host, settings.broker.port, keepalive=KEEPALIVE_S)
    client.loop_start()


def wait_published(infos: list[mqtt.MQTTMessageInfo], timeout: float) -> None:
    """Wait up to `timeout` in all for QoS 1 messages to reach the broker.

    Used for the goodbye `offline`: if the broker is gone meanwhile, the last
    will says it for us, so that is not an error.
    """
    deadline = time.monotonic() + timeout
    for info in infos:
        with contextlib.suppress(RuntimeError, ValueError):
            info.wait_for_publish(max(0.0, deadline - time.monotonic()))
