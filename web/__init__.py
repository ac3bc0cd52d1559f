"""The web layer: the dashboard and its JSON API, served by the hub process.

`create_app` is the only place the Flask app is wired (Flask's own tutorial
pattern); it asks the hub only through `hub.api.HubApi`, and hears from it
through the live relay, one of the hub's features.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from hub.api import HubApi
from web.live.relay import Relay


def create_app(hub: HubApi, relay: Relay, config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config or {})
    app.extensions["hub"] = hub
    from web import pages
    from web.api import routes
    from web.live import sockets

    pages.init_app(app)
    routes.init_app(app)
    sockets.init_app(app, relay)
    return app
