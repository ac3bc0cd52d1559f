"""The hub process, wired: its composition root and nothing else.

Startup order matters for "restart loses nothing": the log is opened and
read back into the core before the broker connection starts delivering the
devices' retained states, so each counter resumes where the figures stop.
That is why the restore happens here, while the process is built, and the
features (the log's writer, the command tracker, MQTT, the live relay) start
only when the controller runs: in that order, each handed every event in that
order, and stopped in reverse once the core's last tick has been handed on.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, make_server

from common.mqtt import MqttSettings
from hub.api import HubApi
from hub.config.saved import effective_config
from hub.controller import HubController, Inbox, now_of
from hub.core.events import CounterPosition
from hub.core.hub_core import HubCore
from hub.core.manager import HISTORY_S
from hub.core.settings import HubConfig
from hub.features.commands import CommandTracker
from hub.features.log_writer import StoreFeed
from hub.features.manager import ManagerFeature
from hub.features.prices import PriceBoard
from hub.mqtt.adapter import HubMqtt
from hub.mqtt.ha_discovery import hub_discovery_messages
from hub.store.database import Store, db_path
from hub.store.restore import load_snapshot, recent_minutes
from hub.store.writer import StoreWriter
from hub.views import LiveViews
from protocol import SimClock, Topics
from web import create_app
from web.live.relay import Relay

log = logging.getLogger("hub")


class HubStartError(Exception):
    """The hub cannot start, for a reason a person can act on."""


@dataclass(frozen=True)
class HubSettings:
    mqtt: MqttSettings
    topics: Topics
    config: HubConfig
    data_dir: Path
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    speed: float | None = None
    auth_token: str | None = None
    ha_discovery: bool = False


def resumed_clock(
    speed: float | None, real_now: float, counters: Iterable[CounterPosition]
) -> SimClock:
    """Real time, or a sped-up clock that carries on from where the previous run's
    simulated time had got to (the last counter it logged), never behind real time."""
    if speed is None:
        return SimClock(1.0, real_now)
    last = max((counter.t for counter in counters), default=real_now)
    return SimClock(speed, real_now, sim_now=max(real_now, last))


class HubProcess:
    def __init__(self, settings: HubSettings):
        self.settings = settings
        self.store = Store.open(db_path(settings.data_dir))
        config, edited = effective_config(settings.config, self.store.settings())
        if edited:
            log.info(
                "using %s edited at run time (saved in %s)", ", ".join(edited), settings.data_dir
            )
        self.clock = self._clock(settings.speed)
        real_now = time.time()
        self.core = HubCore(config, settings.topics)
        snapshot_at = self.clock.now(real_now)
        snapshot = load_snapshot(
            self.store, self.core.tariff, snapshot_at, self.core.ledger.keep_minutes
        )
        self.core.restore(snapshot)
        self.writer = StoreWriter(
            self.store,
            retention_s=config.retention_days * 86400.0,
            now=lambda: self.clock.now(time.time()),
        )
        feed = StoreFeed(self.writer)
        tracker = CommandTracker(feed.audit, lambda: self.clock.now(time.time()))
        inbox = Inbox()
        self.mqtt = HubMqtt(
            settings.mqtt,
            settings.topics,
            inbox,
            self.clock.anchor if settings.speed else None,
            hub_discovery_messages(settings.topics, config.home.name)
            if settings.ha_discovery
            else (),
        )
        prices = PriceBoard(
            config.tariff,
            config.home.timezone,
            config.home.currency,
            lambda payload: self.mqtt.publish_retained(settings.topics.hub_prices, payload),
        )
        self.relay = Relay(LiveViews(self.core, self.clock))
        topics = settings.topics
        self.manager = ManagerFeature(
            self.core,
            lambda: now_of(self.clock),
            lambda action: self.controller.submit(action),
            lambda payload: self.mqtt.publish_retained(topics.hub_plan, payload),
            lambda payload: self.mqtt.publish(topics.hub_manager_result, payload),
        )
        past = recent_minutes(self.store, snapshot_at, HISTORY_S, self.manager.flexible)
        self.manager.learn(*past)
        self.mqtt.route(
            topics.hub_manager_set,
            lambda payload: inbox.submit_call(lambda core, now: self.manager.request(payload)),
        )
        features = [feed, tracker, self.mqtt, prices, self.manager, self.relay]
        self.controller = HubController(self.core, self.clock, features, inbox)
        self.api = HubApi(
            self.controller,
            tracker,
            self.writer,
            self.mqtt.connected,
            store=self.store,
            home=config.home,
            manager=self.manager,
        )
        self.app = create_app(self.api, self.relay, {"AUTH_TOKEN": settings.auth_token})
        self._core_thread: threading.Thread | None = None
        log.info(
            "restored %d counters, %d days of figures and %d open alerts from %s",
            len(snapshot.counters),
            len(snapshot.days),
            len(snapshot.alerts),
            self.store.path,
        )

    def _clock(self, speed: float | None) -> SimClock:
        return resumed_clock(speed, time.time(), self.store.last_counters().values())

    def bind_http(self) -> BaseWSGIServer:
        """Werkzeug's threaded server; raises HubStartError when the port is taken."""
        host, port = self.settings.http_host, self.settings.http_port
        # bind ourselves: Werkzeug would print its own advice and exit the process
        try:
            sock = socket.create_server((host, port))
        except OSError as exc:
            raise HubStartError(
                f"cannot serve HTTP on {host}:{port}: {exc.strerror or exc}; "
                "choose another port with --http-port"
            ) from exc
        self._http_socket = sock
        return make_server(host, port, self.app, threaded=True, fd=sock.fileno())

    def run(self) -> None:
        """Serve with Werkzeug until `stop()`; the features flush the log and say goodbye
        on MQTT as the controller stops them."""
        http = self.bind_http()
        threading.Thread(target=http.serve_forever, name="http", daemon=True).start()
        host, port = self.settings.http_host, self.settings.http_port
        log.info("serving http://%s:%d/ (health: /api/health)", host, port)
        try:
            self.controller.run()
        finally:
            http.shutdown()
            self.store.close()

    def start_background(self) -> None:
        """Run the hub's threads alongside a server that owns the main thread (gunicorn)."""
        self._core_thread = threading.Thread(target=self.controller.run, name="hub-core")
        self._core_thread.start()

    def shutdown(self) -> None:
        """The counterpart of `start_background`: stop, flush, say goodbye."""
        self.stop()
        if self._core_thread is not None:
            self._core_thread.join()  # the features are stopped on it: the log is flushed
        self.store.close()

    def stop(self) -> None:
        """Stop the core (from a signal handler too), after the readings receiver has
        handed over its last batch, so the core handles it before its final tick."""
        self.mqtt.readings.stop()
        self.controller.stop()
