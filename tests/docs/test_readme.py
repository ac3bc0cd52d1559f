"""The README's promises: its MQTT cheat-sheet and its device lines work against a live
home, its what-if examples run (tests/docs/test_doc_examples.py checks that these are
all its shell examples but those marked not-run), its links resolve."""

import json
import re
import shlex

import pytest

from testkit.doc_examples import DocShell, Line, Ran, ShellBlock, Until, run_blocks, runnable
from testkit.programs import ROOT

README = (ROOT / "README.md").read_text()
BLOCKS = runnable(ROOT / "README.md")


def block_after(marker: str) -> ShellBlock:
    """The runnable block the README introduces with `<!-- marker: ...`."""
    line = README[: README.index(f"<!-- {marker}:")].count("\n") + 1
    return next(block for block in BLOCKS if block.line > line)


def adding_devices() -> ShellBlock:
    return next(block for block in BLOCKS if "--list-kinds" in block.text)


def test_the_tests_here_run_every_runnable_block():
    ran = {block_after("cheat-sheet").line, block_after("what-if").line, adding_devices().line}
    assert {block.line for block in BLOCKS} == ran


def every_line(block: ShellBlock, entry: Line) -> dict[str, Line]:
    return dict.fromkeys(block.commands, entry)


def test_the_what_if_examples_run(procs, tmp_path):
    """Each line as written but over an hour and a bit (its week would take the suite's
    time), in a sandbox where the files it writes land."""
    shell = DocShell(tmp_path, 1, 1)
    block = block_after("what-if")
    assert len(block.commands) >= 2

    def shorter() -> dict[str, str]:
        return dict.fromkeys(re.findall(r"--days [\d.]+", block.text), "--days 0.05")

    def reported(ran: Ran) -> None:
        assert ran.returncode == 0, ran
        if "--json" in ran.command:
            assert json.loads(ran.stdout)["per_device"], ran
        else:
            assert "per device" in ran.stdout, ran
        for flag in ("--report", "--series"):
            if flag in ran.command:
                written = ran.command.split(flag, 1)[1].split()[0]
                assert (tmp_path / written).stat().st_size > 0, written

    run_blocks(shell, procs, [block], every_line(block, Line(reported, shorter)))


def test_every_local_link_resolves():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), target


def test_the_screenshot_is_a_small_png():
    shot = ROOT / "docs" / "dashboard.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size < 600_000


def mqtt_line(ran: Ran) -> None:
    """A subscriber shows as many messages as its `-C` asks, on the topics it names."""
    argv = shlex.split(ran.command, comments=True)
    if argv[0] == "mosquitto_pub":
        return
    topic, count = argv[argv.index("-t") + 1], int(argv[argv.index("-C") + 1])
    lines = ran.stdout.splitlines()
    assert len(lines) == count, ran
    if "-v" in argv:
        pattern = re.compile(topic.replace("+", "[^/]+") + " ")
        assert all(pattern.match(line) for line in lines), ran
    else:
        assert all(json.loads(line) for line in lines), ran


def car_state(ran: Ran) -> None:
    mqtt_line(ran)
    state = json.loads(ran.stdout)
    assert {"plugged", "mode"} <= set(state), ran
    assert ("soc_pct" in state) == state["plugged"], ran  # the car's charge only with a car


@pytest.mark.integration
def test_the_mqtt_cheat_sheet_and_adding_a_device_run_against_a_live_home(live):
    hub = live.home.hub

    def device(device_id: str) -> dict:
        status, body = hub.request("GET", f"/api/devices/{device_id}")
        return body if status == 200 else {}

    def every_device(ran: Ran) -> None:
        """A retained topic of every device: one message from each of home.toml's."""
        mqtt_line(ran)
        assert len({line.split("/")[1] for line in ran.stdout.splitlines()}) == live.devices, ran

    def kinds(ran: Ran) -> None:
        shown = int(re.search(r"the (\d+) kinds", ran.command).group(1))
        assert len(ran.stdout.splitlines()) == shown, ran

    def params(ran: Ran) -> None:
        assert {line.split()[0] for line in ran.stdout.splitlines()} >= {"mode", "target_soc"}

    def kettle(output: str) -> None:
        assert "Traceback" not in output, output
        assert device("garage-kettle")["kind"] == "kettle"

    cheat_sheet = block_after("cheat-sheet")
    assert len(cheat_sheet.commands) >= 6
    lines = every_line(cheat_sheet, Line(mqtt_line))
    for line in cheat_sheet.commands:
        if "driveway-ev/state" in line:
            lines[line] = Line(car_state)
        elif "'home/+/meta'" in line or "'home/+/availability'" in line:
            lines[line] = Line(every_device)
    adding = adding_devices()
    kettle_line, kinds_line, params_line = adding.commands
    lines[kettle_line] = Until(kettle, lambda _: device("garage-kettle").get("status") == "online")
    lines[kinds_line] = Line(kinds)
    lines[params_line] = Line(params)
    run_blocks(live.shell, live.procs, [cheat_sheet, adding], lines)
