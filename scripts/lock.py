"""The dependency locks: every package, direct and indirect, at one version with its hashes.

pyproject.toml pins the direct dependencies; the locks pin everything they
pull in too, so `make install`, the image and CI install the same bytes
months apart (pip with --require-hashes refuses anything else).

- requirements/dev.txt: the runtime, the `dev` extra and the build backend;
  `make install` (and so `make test` and CI) installs it.
- requirements/runtime.txt: the runtime and the build backend only, at the
  versions of dev.txt; the Dockerfile installs it.
- requirements/ha-schema.txt: the part of Home Assistant 2024.3 whose schemas a
  test judges our discovery configs by, pinned by hand in ha-schema.in (it
  clashes with our own pins, so it lives in a venv of its own, tests/ha_schema.py).

`python3 scripts/lock.py --uv UV` (what `make lock` runs) writes both with
`uv pip compile --generate-hashes`: one resolution for every platform
(--universal) from Python 3.11 on, keeping the versions already locked unless
`--upgrade` is given. `python3 scripts/lock.py --check` (run by `make install`,
no network) fails when pyproject.toml names a package, or a pin, that the dev
lock lacks: someone added a dependency and did not run `make lock`.

Only the standard library: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_LOCK = Path("requirements/dev.txt")
RUNTIME_LOCK = Path("requirements/runtime.txt")
HA_SCHEMA_PINS = Path("requirements/ha-schema.in")
HA_SCHEMA_LOCK = Path("requirements/ha-schema.txt")
PYTHON_FLOOR = "3.11"
_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_REQUIREMENT = re.compile(rf"^\s*({_NAME})\s*(?:\[[^\]]*\])?\s*(==\s*([^\s;,]+))?")
_LOCKED = re.compile(rf"^({_NAME})==([^\s;\\]+)", re.MULTILINE)


def normalize(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_requirements(pyproject: dict) -> list[str]:
    """What pyproject.toml asks for: dependencies, every optional extra, the build backend."""
    project = pyproject["project"]
    extras = project.get("optional-dependencies", {}).values()
    return [
        *project.get("dependencies", []),
        *(requirement for extra in extras for requirement in extra),
        *pyproject["build-system"]["requires"],
    ]


def locked_versions(lock_text: str) -> dict[str, str]:
    return {normalize(name): version for name, version in _LOCKED.findall(lock_text)}


def stale(requirements: list[str], locked: dict[str, str]) -> list[str]:
    """The requirements the lock does not satisfy: a name it lacks, or another `==` pin."""
    problems = []
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if match is None:
            problems.append(f"{requirement!r} is not understood")
            continue
        name, pinned = normalize(match.group(1)), match.group(3)
        if name not in locked:
            problems.append(f"{match.group(1)} is not in the lock")
        elif pinned is not None and locked[name] != pinned:
            problems.append(f"{match.group(1)} is pinned to {pinned}, locked at {locked[name]}")
    return problems


def compile_commands(uv: str, upgrade: bool) -> list[list[str]]:
    """The `uv pip compile` runs; the build backend's requirements come on stdin."""
    options = [
        "--python-version", PYTHON_FLOOR, "--generate-hashes",
        "--custom-compile-command", "make lock", "--quiet",
    ]  # fmt: skip
    common = [uv, "pip", "compile", "pyproject.toml", "-", "--universal", *options]
    ha_schema = [uv, "pip", "compile", str(HA_SCHEMA_PINS), "--no-deps", *options]
    if upgrade:
        common.append("--upgrade")
    return [
        [*common, "--all-extras", "-o", str(DEV_LOCK)],
        [*common, "-c", str(DEV_LOCK), "-o", str(RUNTIME_LOCK)],
        # every package pinned by hand: hashes only, nothing resolved
        [*ha_schema, "-o", str(HA_SCHEMA_LOCK)],
    ]


def write_locks(uv: str, pyproject: dict, upgrade: bool) -> int:
    (ROOT / DEV_LOCK).parent.mkdir(exist_ok=True)
    build_requires = "\n".join(pyproject["build-system"]["requires"]) + "\n"
    # uv reads no pip.conf: it finds a TLS-intercepting proxy's CA in the system store
    env = {"UV_NATIVE_TLS": "1", **os.environ}
    for command in compile_commands(uv, upgrade):
        result = subprocess.run(command, input=build_requires, text=True, cwd=ROOT, env=env)
        if result.returncode != 0:
            return result.returncode
    print(f"wrote {DEV_LOCK}, {RUNTIME_LOCK} and {HA_SCHEMA_LOCK}")
    return 0


def check(pyproject: dict) -> int:
    try:
        lock_text = (ROOT / DEV_LOCK).read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"{DEV_LOCK} is missing: run 'make lock'", file=sys.stderr)
        return 1
    problems = stale(direct_requirements(pyproject), locked_versions(lock_text))
    if problems:
        print(
            f"{DEV_LOCK} is out of date with pyproject.toml ({'; '.join(problems)}): "
            "run 'make lock' and commit requirements/",
            file=sys.stderr,
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="scripts/lock.py", description=__doc__.split("\n\n")[0])
    action = cli.add_mutually_exclusive_group(required=True)
    action.add_argument("--uv", help="the uv program: write both locks with it")
    action.add_argument("--check", action="store_true", help="is the dev lock in step?")
    cli.add_argument("--upgrade", action="store_true", help="newest versions, not the locked")
    args = cli.parse_args(argv)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return check(pyproject) if args.check else write_locks(args.uv, pyproject, args.upgrade)


if __name__ == "__main__":
    sys.exit(main())
