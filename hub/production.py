"""The hub behind gunicorn, as Flask-SocketIO's deployment guide prescribes for threading mode:
one worker (the hub's state lives in one process) with many threads (one per connection).

The hub is built inside the worker, after gunicorn forks, because threads do not
survive a fork; it flushes and says goodbye when the worker exits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from hub.process import HubProcess

THREADS = 100


class HubServer(BaseApplication):
    def __init__(self, make_hub: Callable[[], HubProcess], bind: str):
        self.make_hub = make_hub
        self.bind = bind
        self.hub: HubProcess | None = None
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", self.bind)
        self.cfg.set("workers", 1)
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", THREADS)
        self.cfg.set("worker_exit", self._worker_exit)

    def load(self) -> Any:
        self.hub = self.make_hub()
        self.hub.start_background()
        return self.hub.app

    def _worker_exit(self, server: object, worker: object) -> None:
        if self.hub is not None:
            self.hub.shutdown()
