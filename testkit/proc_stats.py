"""What /proc says about a process: its children, its memory, its CPU time (Linux only)."""

from __future__ import annotations

import os
from pathlib import Path


def with_children(pid: int) -> list[int]:
    """`pid` and the processes it started (each thread lists its own children)."""
    children = Path(f"/proc/{pid}/task").glob("*/children")
    return [pid, *(int(child) for path in children for child in path.read_text().split())]


def rss_kib(pid: int) -> int:
    """Resident set size (VmRSS) of a process, KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise ProcessLookupError(f"no VmRSS for pid {pid} (a zombie has none)")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), seconds."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident set size of a process, MB (as the benchmarks report it)."""
    return rss_kib(pid) / 1024.0
