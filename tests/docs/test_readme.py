"""The README's promises: its MQTT cheat-sheet works against a live home, its links resolve."""

import json
import re
import shlex
import subprocess
import urllib.request

import pytest

from harness import ROOT, free_port, python_module, require_binary, wait_for

README = (ROOT / "README.md").read_text()


def cheat_sheet() -> list[str]:
    block = README.split("<!-- cheat-sheet:", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.strip().splitlines() if line.strip()]


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
    mqtt_port, http_port = free_port(), free_port()
    launcher = procs.start(
        "home",
        python_module(
            "home",
            "up",
            "--no-browser",
            "--mqtt-port",
            str(mqtt_port),
            "--http-port",
            str(http_port),
            "--data-dir",
            str(tmp_path / "data"),
            "--speed",
            "60",
        ),
    )

    def online() -> int:
        try:
            url = f"http://127.0.0.1:{http_port}/api/summary"
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())["devices_online"]
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
