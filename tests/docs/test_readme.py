"""The README's promises: its MQTT cheat-sheet works against a live home, its what-if
examples run, its links resolve."""

import json
import re
import shlex
import subprocess
import sys

import pytest

from testkit.launcher import start_home
from testkit.ports import wait_for
from testkit.programs import ROOT

from harness import require_binary

README = (ROOT / "README.md").read_text()


def cheat_sheet() -> list[str]:
    block = README.split("<!-- cheat-sheet:", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.strip().splitlines() if line.strip()]


def what_if_lines() -> list[str]:
    block = README.split("<!-- what-if:", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.strip().splitlines() if line.strip()]


def test_the_what_if_examples_run(tmp_path):
    """Each line as written but over an hour and a bit (its week would take the suite's
    time), with the files it writes in tmp_path."""
    lines = what_if_lines()
    assert len(lines) >= 2
    for line in lines:
        argv = shlex.split(line, comments=True)
        assert argv[:4] == ["python", "-m", "home", "simulate"], line
        args = argv[4:]
        args[args.index("--days") + 1] = "0.05"
        written = []
        for flag in ("--report", "--series"):
            if flag in args:
                at = args.index(flag) + 1
                args[at] = str(tmp_path / args[at])
                written.append(args[at])
        result = subprocess.run(
            [sys.executable, "-m", "home", "simulate", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert result.returncode == 0, f"{line}\n{result.stderr}"
        if "--json" in args:
            assert json.loads(result.stdout)["per_device"], line
        else:
            assert "per device" in result.stdout, line
        for path in written:
            assert (tmp_path / path).stat().st_size > 0, path


def test_every_local_link_resolves():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), target


def test_the_screenshot_is_a_small_png():
    shot = ROOT / "docs" / "dashboard.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size < 600_000


@pytest.mark.integration
def test_the_mqtt_cheat_sheet_runs_against_a_live_home(procs, tmp_path):
    require_binary("mosquitto_sub", "mosquitto-clients")
    home = start_home(procs, tmp_path / "data", "--speed", "60", name="home")
    launcher, mqtt_port = home.process, home.mqtt_port

    def online() -> int:
        try:
            return home.hub.get("/api/summary")["devices_online"]
        except OSError:
            assert launcher.alive(), launcher.output()
            return 0

    wait_for(lambda: online() >= 13, 90, "the household")
    lines = cheat_sheet()
    assert len(lines) >= 6
    for line in lines:
        argv = shlex.split(line, comments=True)
        assert argv[0] in ("mosquitto_sub", "mosquitto_pub"), line
        argv[1:1] = ["-p", str(mqtt_port)]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, f"{line}\n{result.stderr}"
        if argv[0] == "mosquitto_sub":
            assert result.stdout.strip(), line
