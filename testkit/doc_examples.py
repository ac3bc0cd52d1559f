"""A document's shell examples, found and run as a reader would type them.

`shell_blocks` finds the fenced shell blocks of a Markdown file, with the reason given
for any that cannot run in a test (an HTML comment `<!-- not-run: reason -->` on the
line before the fence). A doc's test runs every other block, so an example added
without a test, or without that comment, fails.

`DocShell` runs the lines exactly as written against a test's own home, so the doc
need not show the test's ports: its sandbox HOME holds the mosquitto clients' option
files and a `.curlrc` that send the documented defaults (MQTT 1883, HTTP
127.0.0.1:8000) to the home's free ports, and its `python` and `.venv/bin/python` are
this interpreter on this checkout. Files an example writes land in the sandbox.

`run_blocks` runs a doc's blocks line by line, each line judged by what its test says
the doc shows (`Line`, or `Until` for a line that runs until Ctrl-C), and `same_shape`
compares a JSON answer the doc shows with the real one.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from testkit.launcher import LaunchedHome
from testkit.ports import wait_for
from testkit.processes import ManagedProcess, Processes
from testkit.programs import ROOT

SHELL_LANGS = frozenset({"sh", "bash", "shell", "console"})
COMMAND_WORDS = ("python", ".venv/bin/python", "make", "curl", "mosquitto_", "docker", "$ ")
"""How an unlabelled block that is really shell begins: it counts as shell too."""
FENCE = re.compile(r"^(\s*)```\s*([\w-]*)\s*$")
NOT_RUN = re.compile(r"^\s*<!--\s*not-run:\s*(.+?)\s*-->\s*$")
DOC_HTTP = "127.0.0.1:8000"
"""Where the docs say the hub listens (its defaults)."""


@dataclass(frozen=True)
class ShellBlock:
    """One fenced shell block: where it starts, its text, and why it is not run, if so."""

    path: Path
    line: int
    text: str
    not_run: str | None

    @property
    def commands(self) -> list[str]:
        """Its command lines: a line continued with a backslash is joined to the next, and
        one whose quotes are still open takes the next with its newline."""
        commands: list[str] = []
        pending = ""
        for line in re.sub(r"\s*\\\n\s*", " ", self.text).splitlines():
            pending = f"{pending}\n{line}" if pending else line.strip()
            try:
                shlex.split(pending, comments=True)
            except ValueError:  # a quote runs on to the next line
                continue
            if pending:
                commands.append(pending)
            pending = ""
        return commands

    def __str__(self) -> str:
        where = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{where}:{self.line}"


def shell_blocks(path: Path) -> list[ShellBlock]:
    """Every shell block of the Markdown file at `path`, in order."""
    lines = path.read_text().splitlines()
    blocks: list[ShellBlock] = []
    at = 0
    while at < len(lines):
        opening = FENCE.match(lines[at])
        if not opening:
            at += 1
            continue
        indent, lang = opening.groups()
        end = next(i for i in range(at + 1, len(lines)) if lines[i].strip() == "```")
        body = [line.removeprefix(indent) for line in lines[at + 1 : end]]
        first = next((line for line in body if line.strip()), "")
        if lang in SHELL_LANGS or (not lang and first.startswith(COMMAND_WORDS)):
            before = next((line for line in reversed(lines[:at]) if line.strip()), "")
            reason = NOT_RUN.match(before)
            text = "\n".join(body) + "\n"
            blocks.append(ShellBlock(path, at + 1, text, reason.group(1) if reason else None))
        at = end + 1
    return blocks


def runnable(path: Path) -> list[ShellBlock]:
    """The blocks of `path` a test must run: those not marked not-run."""
    return [block for block in shell_blocks(path) if block.not_run is None]


@dataclass(frozen=True)
class Ran:
    """A command line run to its end; `http_status` is curl's last status, if it ran curl."""

    command: str
    returncode: int
    stdout: str
    stderr: str

    @property
    def http_status(self) -> int | None:
        statuses = re.findall(r"^HTTP (\d{3})$", self.stderr, re.M)
        return int(statuses[-1]) if statuses else None

    def __str__(self) -> str:
        return f"$ {self.command}\n[exit {self.returncode}]\n{self.stdout}\n{self.stderr}"


class DocShell:
    """Runs doc command lines verbatim in `sandbox` against a home's MQTT and HTTP ports.

    curl is made quiet and reports each status on stderr (`Ran.http_status`); `env`
    adds to the environment (a token the doc's examples send, say).
    """

    def __init__(self, sandbox: Path, mqtt_port: int, http_port: int, env: Mapping[str, str] = {}):
        self.sandbox = sandbox
        config = sandbox / ".config"
        config.mkdir(parents=True, exist_ok=True)
        for client in ("mosquitto_pub", "mosquitto_sub"):
            (config / client).write_text(f"-p {mqtt_port}\n")
        (sandbox / ".curlrc").write_text(
            f'connect-to = "{DOC_HTTP}:127.0.0.1:{http_port}"\n'
            "silent\nshow-error\n"
            'write-out = "%{stderr}HTTP %{http_code}\\n"\n'
        )
        for where in (sandbox / "bin", sandbox / ".venv" / "bin"):
            where.mkdir(parents=True, exist_ok=True)
            wrapper = where / "python"
            wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
            wrapper.chmod(0o755)
        home_toml = sandbox / "home.toml"
        if not home_toml.exists():
            home_toml.symlink_to(ROOT / "home.toml")
        self.env = {
            **os.environ,
            "PATH": f"{sandbox / 'bin'}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
            "HOME": str(sandbox),
            "XDG_CONFIG_HOME": str(config),
            "CURL_HOME": str(sandbox),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            **env,
        }

    def run(self, command: str, timeout: float = 30) -> Ran:
        """Run one line in bash to its end."""
        done = subprocess.run(
            ["bash", "-c", command],
            capture_output=True,
            text=True,
            cwd=self.sandbox,
            env=self.env,
            timeout=timeout,
        )
        return Ran(command, done.returncode, done.stdout, done.stderr)

    def start(self, procs: Processes, command: str, name: str = "doc-line") -> ManagedProcess:
        """Start a line that runs until stopped (a subscriber, a device), as in another
        terminal: its output line-buffered, as on a terminal, so stopping it loses none;
        `procs` reaps it."""
        argv = ["stdbuf", "-oL", "bash", "-c", command]
        return procs.start(name, argv, env=self.env, cwd=self.sandbox)


@dataclass(frozen=True)
class DocHome:
    """`home up` of home.toml at 60 times real time, every device online, and a shell
    whose doc lines reach it."""

    home: LaunchedHome
    shell: DocShell
    procs: Processes
    devices: int


@dataclass(frozen=True)
class Line:
    """A line that runs to its end: `check` judges it; `prepare` readies the home and
    may name substitutions in the line (an id that exists only at run time)."""

    check: Callable[[Ran], None]
    prepare: Callable[[], Mapping[str, str]] | None = None


@dataclass(frozen=True)
class Until:
    """A line that runs until stopped, as in another terminal: started, `ready` awaited,
    and after its block's last line stopped once its output passes `check`."""

    check: Callable[[str], None]
    ready: Callable[[ManagedProcess], bool] | None = None


def run_blocks(
    shell: DocShell,
    procs: Processes,
    blocks: list[ShellBlock],
    lines: Mapping[str, Line | Until],
    scripts: Mapping[str, tuple[str, Callable[[Ran], None]]] = {},
) -> None:
    """Run `blocks` (a doc's runnable ones) line by line, each line as its entry in
    `lines` says; a block whose first line is in `scripts` runs whole, after the
    script's prefix (a stand-in for a slow `sleep`, say), and is judged by its check.
    A line with no entry, or an entry no block has, fails: every example is judged."""
    doc = ", ".join(sorted({str(block).split(":")[0] for block in blocks}))
    shown = {c for b in blocks if b.commands[0] not in scripts for c in b.commands}
    missing = [c for c in sorted(shown) if c not in lines]
    assert not missing, f"{doc}: no check for these lines: {missing}"
    assert not set(lines) - shown, f"{doc}: checks of lines it no longer has"
    assert not set(scripts) - {b.commands[0] for b in blocks}, f"{doc}: scripts it has not"
    for block in blocks:
        if block.commands[0] in scripts:
            prefix, check = scripts[block.commands[0]]
            check(shell.run(prefix + block.text, timeout=60))
        else:
            run_block(shell, procs, block, lines)


def run_block(
    shell: DocShell, procs: Processes, block: ShellBlock, lines: Mapping[str, Line | Until]
) -> None:
    """One block's lines in order; those that run until stopped keep running beside the
    rest, as in other terminals, and are judged once the last line has run."""
    running: list[tuple[ManagedProcess, Until]] = []
    for command in block.commands:
        entry = lines[command]
        if isinstance(entry, Until):
            process = shell.start(procs, command)
            if entry.ready:
                wait_for(lambda p=process, e=entry: e.ready(p), 20, f"{command!r} ready")
            running.append((process, entry))
            continue
        substitutions = entry.prepare() if entry.prepare else {}
        for shown, real in substitutions.items():
            command = command.replace(shown, real)
        ran = shell.run(command)
        assert ran.returncode == 0, f"{block}\n{ran}"
        entry.check(ran)
    for process, entry in running:  # what it shows may come a moment after the last line
        wait_for(lambda p=process, e=entry: holds(e.check, p), 20, f"{block}: {process.name}")
        process.stop()
        entry.check(process.output())


def holds(check: Callable[[str], None], process: ManagedProcess) -> bool:
    """Whether the output so far passes `check` (a running line that has died fails)."""
    assert process.alive(), process.output()
    try:
        check(process.output())
    except (AssertionError, KeyError, ValueError):
        return False
    return True


def connected_to(port: int) -> Callable[[ManagedProcess], bool]:
    """Ready once the line's process holds a connection to `port` (a subscriber whose
    output cannot show it has subscribed yet)."""

    def ready(process: ManagedProcess) -> bool:
        family = [psutil.Process(process.pid), *psutil.Process(process.pid).children(True)]
        return any(
            c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED
            for p in family
            for c in p.net_connections("tcp")
        )

    return ready


def json_values(text: str) -> list[Any]:
    """The JSON values of a block that shows one or more, one after another."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while (at := len(text) - len(text[at:].lstrip())) < len(text):
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    return values


def same_shape(
    shown: Any, real: Any, where: str = "$", id_maps: frozenset[str] = frozenset()
) -> None:
    """The keys the doc shows are the real answer's, all the way down; an object with
    `"...": "..."` is abridged (its keys need only be there), `null` or `"..."` shows no
    shape, a list's shape is its first element shown in full (compared with the real
    element of its id, if it has one). The values of the keys in `id_maps` are objects
    keyed by ids (a device's), whose keys are data: only the ids shown that are there too
    are compared."""
    if shown is None or shown == "...":
        return
    if isinstance(shown, dict):
        assert isinstance(real, dict), f"{where}: {real!r}"
        keys = set(shown) - {"..."}
        if "..." in shown:
            assert keys <= set(real), f"{where}: not in the answer: {keys - set(real)}"
        else:
            assert keys == set(real), f"{where}: shown but absent, or present but not shown: " + (
                f"{sorted(keys ^ set(real))}"
            )
        for key in keys:
            if key in id_maps and isinstance(shown[key], dict):  # the ids shown that exist
                for each in set(shown[key]) & set(real[key]):
                    same_shape(shown[key][each], real[key][each], f"{where}.{key}.{each}", id_maps)
            else:
                same_shape(shown[key], real[key], f"{where}.{key}", id_maps)
    elif isinstance(shown, list):
        assert isinstance(real, list), f"{where}: {real!r}"
        if not real:
            return
        items = [item for item in shown if item != "..."]
        full = [item for item in items if not (isinstance(item, dict) and "..." in item)]
        if not items:
            return
        first = (full or items)[0]
        ids = {item.get("id"): item for item in real if isinstance(item, dict)}
        match = ids.get(first.get("id"), real[0]) if isinstance(first, dict) else real[0]
        label = first.get("id", 0) if isinstance(first, dict) else 0
        same_shape(first, match, f"{where}[{label}]", id_maps)
