"""The image's health check: the hub in this container answers /api/health.

Plain Python on the standard library, so it needs neither curl in the image
nor systemd on the host (podman runs health checks from systemd timers; without
them `podman healthcheck run CONTAINER` runs this by hand). The Dockerfile's
HEALTHCHECK and compose's `healthcheck` both run it.

The image also runs the devices, which serve no HTTP: a container whose main
process (PID 1) is not the hub is healthy while it runs. The hub's port is
the `--http-port` it was started with (8000).
"""

import sys
import urllib.request
from pathlib import Path

DEFAULT_PORT = "8000"


def hub_port(argv: list[str]) -> str | None:
    """The hub's HTTP port if `argv` runs the hub, else None."""
    if argv[1:3] != ["-m", "hub"]:
        return None
    return argv[argv.index("--http-port") + 1] if "--http-port" in argv[:-1] else DEFAULT_PORT


def main() -> int:
    argv = Path("/proc/1/cmdline").read_bytes().decode().split("\0")[:-1]
    port = hub_port(argv)
    if port is None:
        return 0
    url = f"http://127.0.0.1:{port}/api/health"
    try:
        with urllib.request.urlopen(url, timeout=3):
            return 0
    except OSError as exc:  # a 503 (not yet connected to the broker) is unhealthy too
        print(f"{url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
