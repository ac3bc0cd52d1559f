"""The dependency locks: complete, hashed, in step with pyproject.toml, used by every install."""

import re
import subprocess
import sys

from scripts.lock import locked_versions, stale
from testkit.programs import ROOT

DEV = (ROOT / "requirements" / "dev.txt").read_text()
RUNTIME = (ROOT / "requirements" / "runtime.txt").read_text()


def entries(lock: str) -> dict[str, str]:
    """Each locked package's whole entry (pin, markers, hashes), by name."""
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock)
    return {block.split("==")[0].lower(): block for block in blocks if "==" in block}


def test_the_committed_lock_is_in_step_with_pyproject():
    result = subprocess.run(
        [sys.executable, "scripts/lock.py", "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr


def test_a_dependency_added_without_relocking_is_named():
    locked = locked_versions("flask==3.1.3 \\\n    --hash=sha256:ab\nmsgspec==0.19.0 \\\n")
    assert stale(["Flask==3.1.3", "msgspec==0.19.0", "setuptools>=65"], locked) == [
        "setuptools is not in the lock"
    ]
    assert stale(["flask==3.1.4"], locked) == ["flask is pinned to 3.1.4, locked at 3.1.3"]
    assert stale(["python_socketio[client]==5.18.1"], {"python-socketio": "5.18.1"}) == []


def test_every_package_carries_its_hashes_and_the_image_gets_the_dev_versions():
    dev, runtime = entries(DEV), entries(RUNTIME)
    assert len(runtime) > 30 and set(runtime) < set(dev)
    for name, entry in [*dev.items(), *runtime.items()]:
        assert "--hash=sha256:" in entry, name
    assert locked_versions(RUNTIME).items() <= locked_versions(DEV).items()
    assert {"werkzeug", "python-engineio", "setuptools"} <= set(runtime)  # indirect, build
    assert "pytest" not in runtime


def test_make_install_takes_exactly_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements/dev.txt" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert "scripts/lock.py --check" in makefile


def test_home_assistants_schema_venv_takes_exactly_its_hand_pinned_lock():
    pins = (ROOT / "requirements" / "ha-schema.in").read_text()
    locked = (ROOT / "requirements" / "ha-schema.txt").read_text()
    assert locked_versions(locked) == locked_versions(pins)  # nothing resolved, nothing left out
    for name, entry in entries(locked).items():
        assert "--hash=sha256:" in entry, name
    assert '"--require-hashes"' in (ROOT / "tests" / "ha_schema.py").read_text()
