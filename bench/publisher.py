"""A fast load generator: many simulated devices' `state` readings over several MQTT connections.

Run as its own process (``python -m bench.publisher``) so that it does not
share a GIL with what it measures. Payloads are byte-for-byte what
`protocol.State(...).to_payload()` gives (checked at start-up), built from a
template because encoding through the dataclass costs ~25 us a message,
which would make the generator, not the hub, the bottleneck. Every device's
``seq`` and ``energy_wh`` increase, as a real device's do.

Prints one JSON line at the end: {"sent", "t0", "t1"} (wall-clock seconds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import paho.mqtt.client as mqtt

from protocol import State

POWER_W = 120.0


def payload(ts: float, seq: int, energy_wh: float) -> bytes:
    return (
        f'{{"ts":{ts!r},"seq":{seq},"on":true,"power_w":{POWER_W!r},'
        f'"energy_wh":{energy_wh!r},"level":null,"phase":"on"}}'
    ).encode()


def check_template() -> None:
    """The template must give exactly the contract's encoding, or this generator lies."""
    ts, seq, energy = time.time(), 7, 1.25
    expected = State(
        ts=ts, seq=seq, on=True, power_w=POWER_W, energy_wh=energy, level=None, phase="on"
    ).to_payload()
    if payload(ts, seq, energy) != expected:
        raise SystemExit(f"publisher template drifted from State.to_payload(): {expected!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.publisher")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rate", type=float, default=20000.0, help="messages/s to offer")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--prefix", default="bench")
    args = parser.parse_args(argv)
    check_template()
    clients = []
    for index in range(args.connections):
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{index}")
        client.max_queued_messages_set(0)
        client.connect("127.0.0.1", args.port, keepalive=30)
        client.loop_start()
        clients.append(client)
    deadline = time.monotonic() + 10
    while not all(c.is_connected() for c in clients):
        if time.monotonic() > deadline:
            raise SystemExit("publisher could not connect")
        time.sleep(0.01)
    topics = [f"home/{args.prefix}-{i}/state" for i in range(args.devices)]
    seqs = [0] * args.devices
    step_wh = POWER_W / 3600.0 * (args.devices / args.rate)
    sent = 0
    t0 = time.time()
    start = time.monotonic()
    end = start + args.seconds
    while True:
        now = time.monotonic()
        if now >= end:
            break
        due = int((now - start) * args.rate) + 1
        while sent < due:
            device = sent % args.devices
            seq = seqs[device] = seqs[device] + 1
            body = payload(time.time(), seq, round(seq * step_wh, 6))
            clients[sent % len(clients)].publish(topics[device], body, qos=0)
            sent += 1
        if sent >= due:
            time.sleep(0.001)
    t1 = time.time()
    time.sleep(0.5)  # let the network threads drain their buffers
    for client in clients:
        client.disconnect()
        client.loop_stop()
    print(json.dumps({"sent": sent, "t0": t0, "t1": t1}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
