"""The compose home's secrets: generated once, read by Mosquitto, handed to each program."""

import base64
import os
import stat
import subprocess
import sys

import pytest

from broker.mosquitto_passwd import password_line
from home.compose_secrets import SecretsError, broker_user, ensure_secrets, login_env
from hub.config.load import load_config
from testkit.brokers import start_mosquitto
from testkit.programs import ROOT, python_module

USERS = ["hub", "kitchen-fridge", "kitchen-kettle"]


def test_the_password_line_is_mosquitto_passwds_format():
    # made with: mosquitto_passwd -c -b p alice s3cret (Mosquitto 2.0.11)
    expected = (
        "alice:$7$101$AOB40TEAO+P8qQb4$ZbZjHBgOv5NcjhufgyD4x6hjwLgl8MaWRXR80viV2u12Jv/FHgeax35J"
        "qOM8TSy2rjhZPLCexHuldieQWwKK1A=="
    )
    assert password_line("alice", "s3cret", base64.b64decode("AOB40TEAO+P8qQb4")) == expected
    assert password_line("alice", "s3cret") != password_line("alice", "s3cret")  # fresh salts


def test_first_start_makes_a_password_per_user_and_the_token_private(tmp_path):
    assert ensure_secrets(tmp_path, USERS) == USERS
    for path in [*(tmp_path / "mqtt" / user for user in USERS), tmp_path / "hub-token"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(path.read_text().strip()) >= 32
    passwd = (tmp_path / "mosquitto-passwd").read_text().splitlines()
    assert [line.split(":")[0] for line in passwd] == USERS
    assert stat.S_IMODE((tmp_path / "mosquitto-passwd").stat().st_mode) == 0o644
    assert not any((tmp_path / "mqtt" / user).read_text() in "".join(passwd) for user in USERS)


def test_a_restart_keeps_every_secret_and_follows_the_device_list(tmp_path):
    ensure_secrets(tmp_path, USERS)
    before = {p.name: p.read_text() for p in (tmp_path / "mqtt").iterdir()}
    token = (tmp_path / "hub-token").read_text()
    assert ensure_secrets(tmp_path, [*USERS[:2], "roof-solar"]) == ["roof-solar"]
    after = {p.name: p.read_text() for p in (tmp_path / "mqtt").iterdir()}
    assert {k: after[k] for k in USERS} == before
    assert (tmp_path / "hub-token").read_text() == token
    names = [line.split(":")[0] for line in (tmp_path / "mosquitto-passwd").read_text().split()]
    assert names == ["hub", "kitchen-fridge", "roof-solar"]


def test_each_program_logs_in_as_itself(tmp_path):
    ensure_secrets(tmp_path, USERS)
    password = (tmp_path / "mqtt" / "kitchen-kettle").read_text().strip()
    device = ["python", "-m", "devices", "--kind", "kettle", "--id", "kitchen-kettle"]
    assert login_env(device, tmp_path) == {
        "MQTT_USERNAME": "kitchen-kettle",
        "MQTT_PASSWORD": password,
    }
    hub = login_env(["python", "-m", "hub", "--server", "gunicorn"], tmp_path)
    assert hub["MQTT_USERNAME"] == "hub"
    assert hub["HUB_AUTH_TOKEN"] == (tmp_path / "hub-token").read_text().strip()
    with pytest.raises(SecretsError, match="no --id"):
        broker_user(["python", "-m", "cli"])
    with pytest.raises(SecretsError, match="did 'init' run"):
        login_env(["python", "-m", "devices", "--id", "garage-freezer"], tmp_path)


def test_init_and_exec_as_compose_runs_them(tmp_path):
    init = subprocess.run(
        python_module("home.compose_secrets", "init", "--dir", str(tmp_path), "--config",
                      str(ROOT / "home.toml")),
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    users = len(load_config(ROOT / "home.toml").devices) + 1  # every device, and the hub
    assert f"{users} broker users, {users} new" in init.stdout
    show = "import os; print(os.environ.get('MQTT_USERNAME'), os.environ.get('MQTT_PASSWORD'))"

    def shown(bind: str) -> list[str]:
        run = subprocess.run(
            python_module("home.compose_secrets", "exec", "--dir", str(tmp_path), "--",
                          sys.executable, "-c", show, "--id", "driveway-ev"),
            capture_output=True, text=True, cwd=ROOT, timeout=60, env={**os.environ, "BIND": bind},
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    password = (tmp_path / "mqtt" / "driveway-ev").read_text().strip()
    assert shown("0.0.0.0") == ["driveway-ev", password]
    assert shown("") == ["None", "None"]  # on 127.0.0.1 the broker is anonymous
    missing = subprocess.run(
        python_module("home.compose_secrets", "exec", "--dir", str(tmp_path / "none"), "--",
                      "python", "-m", "hub"),
        capture_output=True, text=True, cwd=ROOT, timeout=60, env={**os.environ, "BIND": "::"},
    )  # fmt: skip
    assert missing.returncode == 1
    assert "did 'init' run?" in missing.stderr and "Traceback" not in missing.stderr
    typo = subprocess.run(
        python_module("home.compose_secrets", "exec", "--dir", str(tmp_path), "--", "pyhton"),
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert typo.returncode == 1
    assert "pyhton" in typo.stderr and "Traceback" not in typo.stderr


@pytest.mark.integration
def test_mosquitto_takes_the_generated_file_with_the_shipped_acl(procs, tmp_path, mqtt_probe):
    ensure_secrets(tmp_path, USERS)
    broker = start_mosquitto(
        procs,
        tmp_path,
        "allow_anonymous false",
        f"password_file {tmp_path / 'mosquitto-passwd'}",
        f"acl_file {ROOT / 'broker' / 'mosquitto.acl'}",
    )
    kettle = login_env(["python", "-m", "devices", "--id", "kitchen-kettle"], tmp_path)
    hub = login_env(["python", "-m", "hub"], tmp_path)

    def refused(user: str | None, password: str | None) -> bool:
        return mqtt_probe(broker, username=user, password=password).connect().is_failure

    assert not refused("kitchen-kettle", kettle["MQTT_PASSWORD"])
    assert refused("kitchen-kettle", hub["MQTT_PASSWORD"])
    assert refused(None, None)
