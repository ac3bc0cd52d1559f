"""`python -m broker` as a person runs it, checked with the Mosquitto command-line clients."""

import signal
import subprocess

import paho.mqtt.client as mqtt
import pytest

from testkit.brokers import start_embedded_broker
from testkit.ports import free_port, wait_for
from testkit.programs import python_module

from harness import mosquitto_client

pytestmark = pytest.mark.integration


def mosquitto_sub(broker, *args, count=1, timeout=10):
    argv = mosquitto_client("mosquitto_sub", broker, "-v", "-C", str(count), "-W", str(timeout))
    argv += args
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def mosquitto_pub(broker, *args):
    argv = mosquitto_client("mosquitto_pub", broker, *args)
    return subprocess.run(argv, capture_output=True, text=True, timeout=10, check=True)


def test_plain_publish_reaches_a_subscriber(embedded_broker, mqtt_probe):
    probe = mqtt_probe(embedded_broker).connected()
    probe.subscribe("test/plain/#")
    mosquitto_pub(embedded_broker, "-t", "test/plain/a", "-m", "hello")
    assert probe.wait_message("test/plain/a").payload == b"hello"


def test_mosquitto_sub_receives_mosquitto_pub(embedded_broker):
    sub = mosquitto_sub(embedded_broker, "-t", "test/cli/#", "-q", "1")

    def delivered() -> bool:
        # mosquitto_sub exits after its first message; until it has subscribed, retry
        mosquitto_pub(embedded_broker, "-t", "test/cli/x", "-m", "from-pub", "-q", "1")
        return sub.poll() is not None

    wait_for(delivered, 10, "mosquitto_sub to receive a message")
    out, err = sub.communicate(timeout=10)
    assert out.splitlines()[0] == "test/cli/x from-pub", err


def test_retained_message_reaches_a_late_subscriber(embedded_broker):
    mosquitto_pub(embedded_broker, "-t", "test/retained/a", "-m", "kept", "-r", "-q", "1")
    sub = mosquitto_sub(embedded_broker, "-t", "test/retained/a")
    out, err = sub.communicate(timeout=15)
    assert sub.returncode == 0, err
    assert out.strip() == "test/retained/a kept"


def test_last_will_is_delivered_when_a_client_is_killed(embedded_broker, mqtt_probe, procs):
    probe = mqtt_probe(embedded_broker).connected()
    probe.subscribe("test/will/#")
    victim = procs.start(
        "victim",
        mosquitto_client(
            "mosquitto_sub",
            embedded_broker,
            "-t",
            "test/will/ready",
            "--will-topic",
            "test/will/status",
            "--will-payload",
            "offline",
            "--will-retain",
            "--will-qos",
            "1",
            "-i",
            "will-victim",
        ),
    )

    def victim_listening() -> bool:
        # mosquitto_sub prints what it receives: once it echoes our marker it is subscribed.
        probe.publish("test/will/ready", b"marker")
        return "marker" in victim.output()

    wait_for(victim_listening, 10, "the victim to subscribe")
    victim.send_signal(signal.SIGKILL)
    will = probe.wait_message("test/will/status")
    assert will.payload == b"offline"


def test_sigterm_stops_the_broker_cleanly(procs):
    start_embedded_broker(procs)
    process = procs.started[-1]
    assert process.stop(signal.SIGTERM) == 0
    assert "Traceback" not in process.output()


def test_sigint_stops_the_broker_cleanly(procs):
    start_embedded_broker(procs)
    process = procs.started[-1]
    assert process.stop(signal.SIGINT) == 0
    assert "stopped" in process.output()


def test_taken_port_is_a_clear_error(embedded_broker, procs):
    process = procs.start("second", python_module("broker", "--port", str(embedded_broker.port)))
    assert process.wait_exit() == 1
    output = process.output()
    assert "already in use" in output
    assert "Traceback" not in output


def test_websocket_listener_carries_mqtt(procs, mqtt_probe):
    ws_port = free_port()
    broker = start_embedded_broker(procs, "--ws-port", str(ws_port))
    tcp = mqtt_probe(broker).connected()
    tcp.subscribe("test/ws/#")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, transport="websockets")
    client.connect("127.0.0.1", ws_port)
    client.loop_start()
    try:
        client.publish("test/ws/a", b"over-websocket", qos=1).wait_for_publish(10)
        assert tcp.wait_message("test/ws/a").payload == b"over-websocket"
    finally:
        client.disconnect()
        client.loop_stop()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "outside 1-65535"),
        (["--port", "http"], "not a port number"),
        (["--topic-root", "a/+/b"], "root"),
        (["--password-file", "/nonexistent/passwd"], "does not exist"),
    ],
)
def test_bad_flags_are_clear_errors(procs, args, message):
    process = procs.start("bad-flags", python_module("broker", *args))
    assert process.wait_exit() == 2
    assert message in process.output()
    assert "Traceback" not in process.output()


def test_check_validates_and_exits(procs):
    process = procs.start("check", python_module("broker", "--port", "1999", "--check"))
    assert process.wait_exit() == 0
    assert "mqtt://127.0.0.1:1999" in process.output()


def test_a_new_client_gets_only_the_retained_messages_it_subscribed_to(embedded_broker, mqtt_probe):
    # amqtt 0.12.1 sends a connecting client the retained messages of everyone's
    # subscriptions; broker.server.HomeBroker must not
    hub_like = mqtt_probe(embedded_broker).connected()
    hub_like.subscribe("test/leak/#")
    hub_like.publish("test/leak/device/meta", b"retained", retain=True)
    hub_like.wait_message("test/leak/device/meta")
    newcomer = mqtt_probe(embedded_broker).connected()
    newcomer.subscribe("test/own/#")
    hub_like.publish("test/own/marker", b"marker")
    newcomer.wait_message("test/own/marker")
    assert [m.topic for m in newcomer.received()] == ["test/own/marker"]
    late = mqtt_probe(embedded_broker).connected()
    late.subscribe("test/leak/#")
    assert late.wait_message("test/leak/device/meta").retain
