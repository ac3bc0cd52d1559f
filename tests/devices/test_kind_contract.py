"""The contract every kind in the registry keeps, checked for each one without its own test.

Adding a kind to `devices.kinds` adds it here: each check is parametrized over
`KIND_NAMES`. The checks drive the pure model in memory over a January and a
June day (daylight and weather matter to some kinds), with a few commands at
moments off the tick grid, reading it the way a runtime does:

- power is a finite number >= 0 at every reading;
- the energy counter never decreases and is the integral of the power read;
- the trajectory does not depend on how often the model is read;
- nothing changes before `next_change`: a model passing over the ticks it says
  change nothing draws the same day as one running every tick;
- `--list-params` parses, its defaults are accepted back by `--param`, and an
  unknown parameter is refused in one clear line;
- a command is applied all-or-nothing.
"""

from __future__ import annotations

import itertools
import math
import re
import subprocess
import types
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from devices.__main__ import main
from devices.agent import DeviceAgent, Identity
from devices.appliance import Appliance
from devices.kinds import KIND_NAMES, get_kind
from devices.state_file import SavedState
from protocol import Topics
from testkit.programs import ROOT, python_module

TZ = ZoneInfo("Europe/London")
SEED = 7
DAYS = {"january": "2026-01-15T00:00", "june": "2026-06-15T00:00"}
HOUR = 3600.0

# Commands a person sends during the day, at odd moments between grid points,
# so that they split ticks: (seconds after midnight, "on" or "level", value).
COMMANDS = (
    (8 * HOUR + 2.5, "on", True),
    (8 * HOUR + 2401.5, "level", 30.0),
    (9.5 * HOUR + 3.3, "on", False),
    (13 * HOUR + 4.1, "on", True),
    (13 * HOUR + 1200.7, "level", 100.0),
    (13 * HOUR + 3000.9, "on", False),
    (14.5 * HOUR + 2.2, "on", True),
)

# The counter is the exact integral: between two readings on the tick grid (or at a
# command) the power is constant, so only float rounding separates the counter's
# increment from power x time. 1e-9 Wh is far above that rounding (~1e-11 Wh on
# counters of a few hundred kWh) and far below any real step (a 1 W x 5 s tick is 1.4e-3 Wh).
INTEGRAL_TOLERANCE_WH = 1e-9

# whole seconds after midnight, so the 1 s run reads the model whenever another run does
REPORTING_PERIODS_S = (1.0, 7.0, 60.0)
# midnight to 15:00 holds every command and the January daylight, for a third less time
CADENCE_HOURS = 15


def replay_trace(directory: Path) -> str:
    """A recorded day, hourly, 100 W with a 2 kW morning and a 1 kW evening peak."""
    peaks = {7: 2000, 19: 1000}
    rows = [f"2024-01-10T{hour:02d}:00:00,{peaks.get(hour, 100)}" for hour in range(24)]
    path = directory / "trace.csv"
    path.write_text("\n".join(["timestamp,power_w", *rows]) + "\n")
    return str(path)


@pytest.fixture(scope="module")
def required(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The least each kind needs to run: a kind whose parameter has no usable default
    (replay's `file`, listed with an empty default) gets a minimal valid value here."""
    return {"replay": {"file": replay_trace(tmp_path_factory.mktemp("replay"))}}


def midnight(day: str) -> float:
    return datetime.fromisoformat(DAYS[day]).replace(tzinfo=TZ).timestamp()


def make(kind: str, day: str, required: dict[str, dict[str, str]]) -> Appliance:
    return get_kind(kind).create(required.get(kind, {}), SEED, midnight(day), TZ)


class Reading(NamedTuple):
    t: float
    power_w: float
    energy_wh: float
    status: tuple = ()
    """(on, phase, level): what a reading says besides its power."""


def drive(model: Appliance, hours: float, report_s: float) -> dict[float, Reading]:
    """Read `model` every `report_s` from its start, and right after each command (as the
    runtime reports a command's effect at once); readings by simulation time."""
    start = model.now
    end = start + hours * HOUR
    commands = [
        (start + offset, what, value)
        for offset, what, value in COMMANDS
        if what == "on" or model.dimmable
    ]
    readings: dict[float, Reading] = {}
    n = 0
    while (t := start + n * report_s) <= end:
        while commands and commands[0][0] <= t:
            at, what, value = commands.pop(0)
            if what == "on":
                model.switch(value, at)
            else:
                model.set_level(value, at)
            readings[at] = reading(model, at)
        model.advance_to(t)
        readings[t] = reading(model, t)
        n += 1
    model.advance_to(end)
    readings[end] = reading(model, end)
    return dict(sorted(readings.items()))


def reading(model: Appliance, t: float) -> Reading:
    return Reading(t, model.power_w, model.energy_wh, (model.on, model.phase, model.level))


def every_tick(model: Appliance) -> Appliance:
    """`model` made to run every tick: the default `next_change`, as a kind without one."""
    model.next_change = types.MethodType(Appliance.next_change, model)  # type: ignore[method-assign]
    return model


def assert_same_day(skipping: dict[float, Reading], reference: dict[float, Reading]) -> None:
    """The same readings: status and power, and the counter up to the rounding of
    adding it up in fewer, longer pieces."""
    assert list(skipping) == list(reference)
    for t, r in skipping.items():
        assert r.status == reference[t].status, t
        assert r.power_w == pytest.approx(reference[t].power_w, rel=1e-9, abs=1e-9), t
        assert r.energy_wh == pytest.approx(reference[t].energy_wh, rel=1e-9, abs=1e-9), t


@pytest.fixture(scope="module")
def days(required) -> Callable[[str, str], list[Reading]]:
    """Each kind's January and June day, read on its own tick grid; run once per module."""
    lives: dict[tuple[str, str], list[Reading]] = {}

    def life(kind: str, day: str) -> list[Reading]:
        if (kind, day) not in lives:
            model = make(kind, day, required)
            lives[kind, day] = list(drive(model, 24, model.tick_s).values())
        return lives[kind, day]

    return life


kinds = pytest.mark.parametrize("kind", KIND_NAMES)
kinds_and_days = pytest.mark.parametrize(
    ("kind", "day"), [(kind, day) for kind in KIND_NAMES for day in DAYS]
)


@kinds_and_days
def test_power_is_never_negative(kind, day, days):
    powers = [r.power_w for r in days(kind, day)]
    assert all(math.isfinite(p) and p >= 0 for p in powers)
    assert len(set(powers)) > 1, "the day did not exercise the model"


@kinds_and_days
def test_the_counter_is_the_integral_of_the_power_read(kind, day, days):
    readings = days(kind, day)
    pairs = list(itertools.pairwise(readings))
    assert all(b.energy_wh >= a.energy_wh for a, b in pairs), "the counter went down"
    worst = max(abs(b.energy_wh - a.energy_wh - a.power_w * (b.t - a.t) / HOUR) for a, b in pairs)
    assert worst <= INTEGRAL_TOLERANCE_WH
    integral = sum(a.power_w * (b.t - a.t) for a, b in pairs) / HOUR
    assert readings[-1].energy_wh == pytest.approx(integral, rel=1e-9)
    assert integral > 0


@kinds
def test_the_trajectory_does_not_depend_on_the_reporting_period(kind, required):
    # every time a slower run reads the model, the 1 s run reads it too
    runs = [
        drive(make(kind, "january", required), CADENCE_HOURS, period)
        for period in REPORTING_PERIODS_S
    ]
    reference, *others = runs
    for other in others:
        assert [r.power_w for r in other.values()] == [reference[t].power_w for t in other]
        worst = max(abs(r.energy_wh - reference[t].energy_wh) for t, r in other.items())
        assert worst <= 1e-9 * max(1.0, reference[max(other)].energy_wh)  # only the rounding
    assert len({r.power_w for r in reference.values()}) > 1, "the day did not exercise the model"


@kinds_and_days
def test_nothing_changes_before_next_change(kind, day, required):
    # read on the tick grid (and at each command): every change of state shows
    skipping = make(kind, day, required)
    reference = every_tick(make(kind, day, required))
    assert_same_day(drive(skipping, 24, skipping.tick_s), drive(reference, 24, reference.tick_s))


@pytest.mark.parametrize(
    ("mode", "power_w"), [("charge", 2000.0), ("discharge", 2500.0), ("hold", None)]
)
def test_storage_passes_over_only_steady_ticks(mode, power_w):
    """A battery charged until full (or emptied) at a set power: steady for hours, then
    the limit bites in the last ticks; the same whether or not it passes over ticks."""
    days = []
    for model in (make("battery", "january", {}), every_tick(make("battery", "january", {}))):
        model.set_mode(mode, power_w, model.now + 3600 + 2.5)
        days.append(drive(model, 6, model.tick_s))
    assert_same_day(*days)
    if mode != "hold":
        assert {r.status[1] for r in days[0].values()} >= {"full" if mode == "charge" else "empty"}


LISTED = re.compile(
    r"(?P<name>\S+) +(?P<help>.+) \(default (?P<default>.*?)(?:, [^,]+\.\.[^,]+)?\)"
)


def listed_defaults(lines: list[str]) -> dict[str, str]:
    """`--list-params` lines as {name: the default's text}; fails on a line that does not parse."""
    matches = [LISTED.fullmatch(line) for line in lines]
    assert all(matches), lines
    return {m["name"]: m["default"] for m in matches}


def param_flags(given: dict[str, str]) -> list[str]:
    return [arg for name, value in given.items() for arg in ("--param", f"{name}={value}")]


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`python -m devices ARGV` in this process: exit code, stdout, stderr."""
    try:
        code = main(list(argv), env={})
    except SystemExit as exit_:  # argparse's way of refusing
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@kinds
def test_the_listed_params_and_defaults_are_accepted_back(kind, required, capsys):
    code, out, _ = run_main(capsys, "--kind", kind, "--list-params")
    assert code == 0
    listed = listed_defaults(out.splitlines())
    assert list(listed) == list(get_kind(kind).declared_params())
    given = {**listed, **required.get(kind, {})}
    code, out, err = run_main(
        capsys, "--kind", kind, "--id", "contract", *param_flags(given), "--check"
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"ok: {kind} 'contract'")
    # the listed text means the default itself, not a rounded neighbour of it
    assert get_kind(kind).create(given, SEED, 0.0, TZ).p == make(kind, "january", required).p


@kinds
def test_an_unknown_param_is_refused_in_one_clear_line(kind, required, capsys):
    given = {**required.get(kind, {}), "no_such_param": "1"}
    code, _, err = run_main(
        capsys, "--kind", kind, "--id", "contract", *param_flags(given), "--check"
    )
    assert code == 2
    complaint = err.splitlines()[-1]
    assert f"unknown parameter 'no_such_param' for kind '{kind}'" in complaint
    assert all(name in complaint for name in get_kind(kind).declared_params())
    assert "Traceback" not in err


def test_the_command_line_lists_and_accepts_the_same(required, capsys):
    """The in-process checks above call the function `python -m devices` runs; once, the real
    process, for the kind with the most parameters."""
    kind = max(KIND_NAMES, key=lambda name: len(get_kind(name).declared_params()))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = python_module("devices", "--kind", kind, *args)
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=30)

    listing = cli("--list-params")
    assert listing.returncode == 0
    assert listing.stdout == run_main(capsys, "--kind", kind, "--list-params")[1]
    given = {**listed_defaults(listing.stdout.splitlines()), **required.get(kind, {})}
    check = cli("--id", "contract", *param_flags(given), "--check")
    assert check.returncode == 0, check.stderr


def status(model: Appliance) -> tuple:
    return (model.on, model.phase, model.level, model.power_w, model.energy_wh, model.now)


@kinds
def test_a_command_is_applied_all_or_nothing(kind, required):
    model = make(kind, "january", required)
    agent = DeviceAgent(
        Identity("contract", "Contract"),
        model,
        Topics(),
        interval_s=5.0,
        publish=lambda *message: None,
        saved=SavedState("contract", kind),
    )
    t = model.now + 9 * HOUR + 0.3
    # one half of each would change the model whatever it is doing
    refused = [b'{"on": true, "level": 101}', b'{"on": false, "level": -1}']
    if not model.dimmable:
        refused += [b'{"on": true, "level": 50}', b'{"on": false, "level": 50}']
    for payload in refused:
        before = status(model)
        assert not agent.command(payload, t, t).ok, payload
        assert status(model) == before, payload
    for on in (True, False, True, False):
        t += 61.3
        result = agent.command(b"ON" if on else b"OFF", t, t)
        assert result.ok and result.state.on is on and model.on is on
        if not on:
            assert model.power_w <= model.standby_w  # off draws at most the standby it declares
    if model.dimmable:
        for on, level in ((False, 30.0), (True, 55.5)):
            t += 61.3
            payload = f'{{"on": {"true" if on else "false"}, "level": {level}}}'.encode()
            assert agent.command(payload, t, t).ok
            assert (model.on, model.level) == (on, level)
