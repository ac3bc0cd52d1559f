"""Runs amqtt with the project's settings and turns its failures into plain words."""

import errno
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amqtt.broker import Broker
from amqtt.errors import BrokerError
from amqtt.session import Session

from protocol import DEFAULT_ROOT


class BrokerStartError(Exception):
    """The broker could not start, for a reason a person can act on."""


@dataclass(frozen=True)
class BrokerSettings:
    host: str = "127.0.0.1"
    port: int = 1883
    ws_port: int | None = None
    password_file: Path | None = None
    acl: bool = False
    topic_root: str = DEFAULT_ROOT

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"


def amqtt_config(settings: BrokerSettings) -> dict[str, Any]:
    """The amqtt configuration for `settings`.

    Only the plugins we want are listed: amqtt's defaults add packet logging and
    `$SYS` publishing, which cost time on every message and help no one here.
    """
    listeners: dict[str, Any] = {
        "default": {"type": "tcp", "bind": f"{settings.host}:{settings.port}"},
    }
    if settings.ws_port is not None:
        listeners["ws"] = {"type": "ws", "bind": f"{settings.host}:{settings.ws_port}"}
    plugins: dict[str, Any] = {}
    if settings.password_file is None:
        plugins["amqtt.plugins.authentication.AnonymousAuthPlugin"] = {"allow_anonymous": True}
    else:
        plugins["amqtt.plugins.authentication.FileAuthPlugin"] = {
            "password_file": str(settings.password_file)
        }
    if settings.acl:
        root = {"topic_root": settings.topic_root}
        plugins["broker.plugins.HomeAclPlugin"] = root
        plugins["broker.plugins.WillGuardPlugin"] = root
    return {"listeners": listeners, "plugins": plugins}


class HomeBroker(Broker):
    """amqtt's broker with retained messages delivered only to their subscribers.

    amqtt 0.12.1, on every CONNECT, sends the new client the retained messages
    matching *every client's* subscriptions, not just its own: a device joining
    a home where the hub subscribed to `home/#` would receive every device's
    retained meta and state. Sending only for filters this session holds fixes
    it, and keeps the legitimate paths (a new SUBSCRIBE, a resumed session) as
    they were, since both register the session before publishing.
    """

    async def _publish_retained_messages_for_subscription(
        self, subscription: tuple[str, int], session: Session
    ) -> None:
        subscribers = self._subscriptions.get(subscription[0], [])
        if any(holder.client_id == session.client_id for holder, _ in subscribers):
            await super()._publish_retained_messages_for_subscription(subscription, session)


class _NoStartupTraceback(logging.Filter):
    """amqtt logs a traceback when it cannot start; `_explain` says it better in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "Broker startup failed"


async def start_broker(settings: BrokerSettings) -> Broker:
    """A started broker; the caller owns its `shutdown()`."""
    logging.getLogger("amqtt.broker").addFilter(_NoStartupTraceback())
    broker = HomeBroker(amqtt_config(settings))
    try:
        await broker.start()
    except BrokerError as exc:
        raise BrokerStartError(_explain(exc, settings)) from exc
    return broker


def _explain(exc: BaseException, settings: BrokerSettings) -> str:
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, OSError):
        ports = f"{settings.port}" + (f" or {settings.ws_port}" if settings.ws_port else "")
        if cause.errno == errno.EADDRINUSE:
            return (
                f"port {ports} on {settings.host} is already in use: another broker may be "
                "running; stop it or choose another port with --port"
            )
        if cause.errno == errno.EACCES:
            return f"not allowed to listen on port {ports}: ports below 1024 need root"
        if cause.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            return f"cannot listen on {settings.host}: it is not an address of this machine"
        return f"cannot listen on {settings.host}:{ports}: {cause.strerror or cause}"
    return str(exc)
