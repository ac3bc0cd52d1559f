"""The pure core's boundary: hub/core/ imports nothing of ours outside itself and protocol/.

Read from the source with `ast`, so an import hidden behind `TYPE_CHECKING` or
inside a function counts too: such an import is how the old circle between
the core and the config parser was kept out of sight.
"""

import ast
import sys
from collections.abc import Callable
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "hub" / "core"
PLANNER = CORE / "planner"
SOLVER = {"milp.py": {"highspy", "numpy"}}
"""The planner's one module that may import the MILP solver: a computation, no I/O."""
ALLOWED_OURS = ("hub.core", "protocol")
# Standard modules that would bring I/O, threads or a clock into the core.
IMPURE_STDLIB = {"sqlite3", "socket", "threading", "subprocess", "time"}


def imported_modules(path: Path, package: str = "hub.core") -> set[str]:
    """Every module `path` (a module of `package`) imports, anywhere in the file, as an
    absolute dotted name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            else:
                found.add(node.module or "")
    return found


def outside_the_boundary(module: str) -> bool:
    top = module.split(".")[0]
    if any(module == ours or module.startswith(f"{ours}.") for ours in ALLOWED_OURS):
        return False
    if top in sys.stdlib_module_names:
        return top in IMPURE_STDLIB
    return True  # ours outside the boundary, or a third-party package (paho, flask, ...)


def imports_outside(folder: Path, package: str, outside: Callable[[str], bool]) -> list[str]:
    """ "file: module" for every import in the modules of `folder` that `outside` refuses."""
    files = sorted(folder.glob("*.py"))
    assert len(files) > 5, f"no modules found under {folder}"
    return sorted(
        f"{path.name}: {module}"
        for path in files
        for module in imported_modules(path, package)
        if outside(module)
    )


def test_the_core_imports_only_itself_protocol_and_pure_stdlib():
    offending = imports_outside(CORE, "hub.core", outside_the_boundary)
    assert not offending, "hub/core imports outside core/ and protocol/: " + ", ".join(offending)


def test_the_planner_imports_like_the_core_and_the_solver_only_in_milp():
    offending = imports_outside(PLANNER, "hub.core.planner", outside_the_boundary)
    allowed = {f"{name}: {module}" for name, modules in SOLVER.items() for module in modules}
    assert set(offending) == allowed, "hub/core/planner imports outside the boundary"


def test_the_rules_strategy_keeps_to_the_same_boundary():
    offending = imports_outside(CORE / "rules", "hub.core.rules", outside_the_boundary)
    assert not offending, "hub/core/rules imports outside the core: " + ", ".join(offending)


def test_the_walk_sees_imports_behind_type_checking(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from hub.config.load import HubConfig\n"
        "def later():\n"
        "    import flask\n"
        "from . import settings\n",
        encoding="utf-8",
    )
    modules = imported_modules(source)
    assert modules == {"typing", "hub.config.load", "flask", "hub.core"}
    assert [m for m in sorted(modules) if outside_the_boundary(m)] == ["flask", "hub.config.load"]


def test_the_settings_are_read_from_the_core_not_the_parser():
    assert "hub.core.settings" in imported_modules(CORE / "tariff.py")
    assert "hub.core.settings" in imported_modules(CORE / "thresholds.py")
