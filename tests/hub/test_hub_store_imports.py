"""The store's boundary: hub/store/ imports only itself, the core, protocol/ and the stdlib.

The store sits under the features: it writes and reads the core's types and its
own rows, raises its own errors, and keeps saved settings as plain JSON. An
import of the config parser, the hub's API errors, a feature or the web would
put it back on top of what it serves. Read with `ast`, as the core's boundary is.
"""

import sys
from pathlib import Path

from test_hub_core_imports import imports_outside

STORE = Path(__file__).resolve().parents[2] / "hub" / "store"
ALLOWED_OURS = ("hub.store", "hub.core", "protocol")


def outside_the_boundary(module: str) -> bool:
    if any(module == ours or module.startswith(f"{ours}.") for ours in ALLOWED_OURS):
        return False
    return module.split(".")[0] not in sys.stdlib_module_names


def test_the_store_imports_only_itself_the_core_protocol_and_stdlib():
    offending = imports_outside(STORE, "hub.store", outside_the_boundary)
    assert not offending, "hub/store imports outside the boundary: " + ", ".join(offending)


def test_the_boundary_refuses_what_sits_above_the_store():
    assert not outside_the_boundary("hub.core.ledger")
    assert not outside_the_boundary("sqlite3")
    for above in ("hub.api_errors", "hub.config.load", "hub.features.commands", "web", "flask"):
        assert outside_the_boundary(above), above
