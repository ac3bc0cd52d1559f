"""Every shell example in docs/ and the README runs as written against a live home, and
shows what its doc says it shows; an example that cannot run in a test says why in a
`<!-- not-run: reason -->` comment before it, so a new example nobody runs fails here.

docs/api.md, docs/protocol.md and docs/add-a-device.md share one home (module scope)
started with a token, which the API examples send from `$HUB_AUTH_TOKEN`; the README's
examples are run by tests/docs/test_readme.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from testkit.doc_examples import (
    DocHome,
    Line,
    Ran,
    Until,
    connected_to,
    json_values,
    run_blocks,
    runnable,
    same_shape,
    shell_blocks,
)
from testkit.ports import wait_for
from testkit.processes import ManagedProcess
from testkit.programs import ROOT
from web.api import openapi

DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
RUN_HERE = ("docs/api.md", "docs/protocol.md", "docs/add-a-device.md")
RUN_BY_README_TEST = ("README.md",)
ID_MAPS = frozenset({"device_power_w", "device_energy_today_wh", "device_cost_today", "devices"})
"""Objects keyed by device id: their keys are the home's devices, not a shape."""


def test_every_shell_example_is_run_or_says_why_not():
    blocks = [block for path in DOCS for block in shell_blocks(path)]
    assert len(blocks) >= 25
    for block in blocks:
        where = str(block).split(":")[0]
        assert block.not_run or where in RUN_HERE + RUN_BY_README_TEST, (
            f"{block}: no test runs this example; add it to one, or mark it "
            "<!-- not-run: why --> on the line before"
        )


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.name)
def test_every_json_block_is_json(path):
    """What an answer shows parses, abridged the one way the shape check reads
    (`"...": "..."` in an object, `"..."` in a list)."""
    text = path.read_text()
    for found in re.finditer(r"^ *```json\n(.*?)^ *```$", text, re.M | re.S):
        line = text[: found.start()].count("\n") + 1
        try:
            json_values(found.group(1))
        except ValueError as exc:
            raise AssertionError(f"{path.name}:{line}: {exc}") from None


# ---- running a doc, and what it shows ----------------------------------------------------


def run_doc(
    live: DocHome,
    doc: str,
    lines: Mapping[str, Line | Until],
    scripts: Mapping[str, tuple[str, Callable[[Ran], None]]] | None = None,
) -> None:
    """Every runnable block of `doc` on the module's live home (`run_blocks`)."""
    run_blocks(live.shell, live.procs, runnable(ROOT / doc), lines, scripts or {})


def fenced(doc: str, lang: str) -> list[tuple[int, str]]:
    """(line, text) of each block of `lang` in `doc`."""
    text = (ROOT / doc).read_text()
    found = re.finditer(rf"^```{lang}\n(.*?)^```$", text, re.M | re.S)
    return [(text[: m.start()].count("\n") + 1, m.group(1)) for m in found]


def shown_after(doc: str, command: str, lang: str = "json") -> list[Any] | str:
    """What the doc shows a command answers: the first `lang` block after its block."""
    block = next(b for b in runnable(ROOT / doc) if command in b.commands)
    text = next(text for line, text in fenced(doc, lang) if line > block.line)
    return json_values(text) if lang == "json" else text


def answer(ran: Ran, status: int = 200) -> Any:
    assert ran.http_status == status, ran
    return json.loads(ran.stdout)


def answers_as_shown(doc: str, command: str) -> Callable[[Ran], None]:
    """A 200 in the shape of the first answer the doc shows after the command."""

    def check(ran: Ran) -> None:
        same_shape(shown_after(doc, command)[0], answer(ran), id_maps=ID_MAPS)

    return check


# ---- docs/api.md -------------------------------------------------------------------------

API = "docs/api.md"
BASE = "http://127.0.0.1:8000"
AUTH = '-H "Authorization: Bearer $HUB_AUTH_TOKEN"'
SHOWN_ALERT = "total-power-high:1763900000"


def api_lines(live: DocHome) -> dict[str, Line]:
    def shape(command: str) -> Line:
        return Line(answers_as_shown(API, command))

    def curl(method: str, path: str, body: str) -> Any:
        ran = live.shell.run(f"curl -X {method} {BASE}{path} {AUTH} -d '{body}'")
        return answer(ran)

    def an_open_alert() -> Mapping[str, str]:
        curl("PUT", "/api/thresholds", '[{"rule": "total-power", "above_w": 1, "for_s": 0}]')
        alerts = wait_for(lambda: live.home.hub.get("/api/alerts")["open"], 20, "an alert")
        return {SHOWN_ALERT: alerts[0]["id"]}

    def fridge_has_minutes() -> Mapping[str, str]:
        wait_for(
            lambda: live.home.hub.get("/api/history?device=kitchen-fridge")["devices"],
            30,
            "a minute of the fridge",
        )
        return {}

    def documented_device_fields(ran: Ran) -> None:
        """Every field any device of the home has is in the doc's table of fields."""
        devices = answer(ran)
        same_shape(shown_after(API, command("/api/devices"))[0], devices, id_maps=ID_MAPS)
        present = {key for device in devices for key in device}
        fields = set(table_fields("### GET /api/devices\n"))
        assert present <= fields, f"undocumented fields: {sorted(present - fields)}"
        storage = next(d for d in devices if d["role"] == "storage")
        assert {"discharge_w", "soc_pct", "mode", "energy_out_wh"} <= set(storage)
        assert any(d.get("deferrable") for d in devices)

    def command_ran(ran: Ran) -> None:
        reply = answer(ran)
        assert reply["ok"] and reply["result"]["request"] == {"level": 40.0}
        same_shape(shown_after(API, light)[0], reply)

    def refused(ran: Ran) -> None:
        assert answer(ran, 400) == shown_after(API, kettle)[0]

    def exported(ran: Ran) -> None:
        assert ran.http_status == 200, ran
        files = list(live.shell.sandbox.glob("energy-*.csv"))
        assert len(files) == 1, files
        header, *rows = files[0].read_text().splitlines()
        assert header == shown_after(API, export, "csv").splitlines()[0]
        assert rows and all(row.split(",")[2] == "kitchen-fridge" for row in rows)

    def thresholds_put(ran: Ran) -> None:
        assert answer(ran) == shown_after(API, thresholds)[0]

    def tariff_put(ran: Ran) -> None:
        assert answer(ran) == shown_after(API, tariff)[0]

    def thresholds_get(ran: Ran) -> None:
        answers_as_shown(API, thresholds)(ran)  # the same list as the PUT's answer
        documented = set(table_fields("### GET /api/thresholds")) | {"device"}
        for rule in answer(ran):
            assert set(rule) <= documented, rule

    light = command("/api/devices/living-room-light/command", "POST")
    kettle = command("/api/devices/kitchen-kettle/command", "POST")
    export = command("/api/export.csv")
    thresholds = command("/api/thresholds", "PUT")
    tariff = command("/api/tariff", "PUT")
    return {
        command("/api/health"): shape(command("/api/health")),
        command("/api/summary"): shape(command("/api/summary")),
        command("/api/devices"): Line(documented_device_fields),
        command("/api/devices/kitchen-fridge"): shape(command("/api/devices/kitchen-fridge")),
        light: Line(command_ran),
        kettle: Line(refused),
        command("/api/history"): Line(
            answers_as_shown(API, command("/api/history")), fridge_has_minutes
        ),
        export: Line(exported),
        command("/api/energy"): shape(command("/api/energy")),
        command("/api/prices"): shape(command("/api/prices")),
        command("/api/alerts"): Line(answers_as_shown(API, command("/api/alerts")), an_open_alert),
        command("/api/alerts/", "POST"): Line(
            answers_as_shown(API, command("/api/alerts/", "POST")), an_open_alert
        ),
        command("/api/thresholds"): Line(thresholds_get),
        thresholds: Line(thresholds_put),
        command("/api/tariff"): Line(answers_as_shown(API, tariff)),  # as the PUT answers
        tariff: Line(tariff_put),
        command("/api/openapi.json"): shape(command("/api/openapi.json")),
        command("/api/manager"): shape(command("/api/manager")),
        **{line: Line(switched_to(line)) for line in manager_switches()},
    }


def manager_switches() -> list[str]:
    """api.md's PUTs of /api/manager (to rules, then back to off)."""
    return [
        line
        for block in runnable(ROOT / API)
        for line in block.commands
        if f"{BASE}/api/manager" in line and "-X PUT" in line
    ]


def switched_to(line: str) -> Callable[[Ran], None]:
    wanted = re.search(r'"strategy": "(\w+)"', line)[1]  # type: ignore[index]

    def check(ran: Ran) -> None:
        assert answer(ran)["strategy"] == wanted, ran

    return check


def table_fields(heading: str) -> list[str]:
    """The names in the first column of the first table under `heading` in api.md."""
    section = (ROOT / API).read_text().split(heading, 1)[1].split("```", 1)[0]
    rows = re.findall(r"^\| ([^|]*)\|", section, re.M)
    return [name for row in rows for name in re.findall(r"`(\w+)`", row)]


def test_the_device_fields_listed_are_the_schemas():
    # the live test holds the real devices to this list; this, the list to the schema
    schema = openapi.document()["components"]["schemas"]["Device"]["properties"]
    assert sorted(set(table_fields("### GET /api/devices\n"))) == sorted(schema)


def command(path: str, method: str = "GET") -> str:
    """The api.md line that calls `path` (the first that starts so) with `method`."""
    for block in runnable(ROOT / API):
        for line in block.commands:
            if f"{BASE}{path}" in line and (
                f"-X {method}" in line if method != "GET" else "-X " not in line
            ):
                return line
    raise AssertionError(f"api.md shows no {method} {path}")


@pytest.mark.integration
def test_the_api_examples_answer_as_shown(live):
    run_doc(live, API, api_lines(live))


# ---- docs/protocol.md --------------------------------------------------------------------


@pytest.mark.integration
def test_the_protocol_examples_work(live):
    port = live.home.mqtt_port

    def topics(output: str) -> set[str]:
        return {line.split(" ", 1)[0] for line in output.splitlines() if line.startswith("home/")}

    def everything(output: str) -> None:
        assert {"home/kitchen-kettle/meta", "home/hub/summary", "home/kitchen-kettle/set"} <= (
            topics(output)
        ), output[:2000]

    def readings(output: str) -> None:
        assert {t.split("/")[1] for t in topics(output)} >= {"kitchen-fridge", "kitchen-kettle"}
        assert all(t.endswith("/state") for t in topics(output))

    def answers(output: str) -> None:
        replies = {
            line.split(" ", 1)[0]: json.loads(line.split(" ", 1)[1]) for line in output.splitlines()
        }
        assert replies["home/kitchen-kettle/result"]["state"]["on"] is True, output
        light = replies["home/living-room-light/result"]
        assert light["ok"] and light["request"]["level"] == 30, output

    sent = Line(lambda ran: None)  # what it did, the answers' subscriber shows

    run_doc(
        live,
        "docs/protocol.md",
        {
            "mosquitto_sub -t 'home/#' -v                       # everything": Until(
                everything, connected_to(port)
            ),
            "mosquitto_sub -t 'home/+/state' -v                 # all readings": Until(
                readings, connected_to(port)
            ),
            "mosquitto_sub -t 'home/+/result' -v                # the answers: start it "
            "first, they are not retained": Until(answers, connected_to(port)),
            "mosquitto_pub -t home/kitchen-kettle/set -m ON     # boil the kettle": sent,
            """mosquitto_pub -t home/living-room-light/set -m '{"level": 30}'""": sent,
        },
    )


# ---- docs/add-a-device.md ----------------------------------------------------------------

STOP_AFTER_THREE = 'sleep() { runs=$((runs + 1)); command sleep 0.1; [ "$runs" -le 3 ]; }\n'
"""The shell device's loop, three times without its five-second waits."""


@pytest.mark.integration
def test_the_add_a_device_examples_work(live):
    hub = live.home.hub

    def device(device_id: str) -> dict[str, Any] | None:
        status, body = hub.request("GET", f"/api/devices/{device_id}")
        return body if status == 200 else None

    def pump(ran: Ran) -> None:
        assert ran.returncode == 0, ran
        three = pytest.approx(3 * 400 * 5 / 3600, abs=1e-3)  # Wh: three 5 s readings at 400 W
        seen = wait_for(
            lambda: (d := device("garden-pump")) and d["energy_wh"] == three and d, 20, "3 readings"
        )
        assert (seen["kind"], seen["status"], seen["power_w"]) == ("pump", "online", 400)

    def kettle_ready(process: ManagedProcess) -> bool:
        assert process.alive(), process.output()
        return (device("garage-kettle") or {}).get("status") == "online"

    def kettle(output: str) -> None:
        assert "Traceback" not in output, output
        assert device("garage-kettle")["kind"] == "kettle"

    run_doc(
        live,
        "docs/add-a-device.md",
        {
            ".venv/bin/python -m devices --kind kettle --id garage-kettle": Until(
                kettle, kettle_ready
            )
        },
        scripts={"id=garden-pump": (STOP_AFTER_THREE, pump)},
    )
