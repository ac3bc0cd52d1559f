"""The API guide (docs/api.md) covers every REST path and every Socket.IO event."""

import re
from pathlib import Path

import pytest

from web.api import openapi

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "api.md").read_text()
SOCKETS = (ROOT / "web" / "live" / "sockets.py").read_text()
EVENTS = {"snapshot", "readings", "summary", "alert", "device", "command"}


def socket_events() -> set[str]:
    """The events web/live/sockets.py emits or handles, but not Socket.IO's own (dis)connect."""
    emitted = re.findall(r"""socketio\.emit\(\s*["']([^"']+)["']""", SOCKETS)
    handled = re.findall(r"""@socketio\.on\(\s*["']([^"']+)["']""", SOCKETS)
    return set(emitted + handled) - {"connect", "disconnect"}


def test_the_event_list_is_the_servers():
    # a new event in web/live/sockets.py must be documented (and added here)
    assert socket_events() == EVENTS


@pytest.mark.parametrize("path", sorted(openapi.document()["paths"]))
def test_every_openapi_path_is_documented(path):
    assert path in GUIDE


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_every_socket_event_is_documented(event):
    assert f"`{event}`" in GUIDE
