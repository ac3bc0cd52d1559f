"""dashboard: headless Chromium on the live dashboard with 50 devices; main-thread busy share.

Two measures over the same window, after the page has connected and settled:

- ``busy_pct`` (the target's figure): Chromium's own main-thread task time
  (``TaskDuration`` of the DevTools ``Performance.getMetrics``), every task
  counted, as a share of wall-clock time;
- ``longtask_pct``: the sum of 'longtask' entries (tasks over 50 ms) seen by a
  PerformanceObserver injected with ``page.add_init_script``, which misses
  the many short tasks and so is a lower bound.
"""

from __future__ import annotations

import argparse
import shutil
import time

from bench.harness import BenchError, Result, Row, at_most, session, start_home
from testkit.browser import CHROMIUM_ARGS

NAME = "dashboard"
KEYS = ("busy_pct",)
HELP = "main-thread busy share of the dashboard in headless Chromium, 50 devices"
LONGTASKS = """
window.__benchLong = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__benchLong += entry.duration;
}).observe({type: 'longtask', buffered: true});
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--seconds", type=float, help="measuring window (quick 10, full 30)")
    parser.add_argument("--settle", type=float, default=3.0)


def playwright_api():
    """Playwright's sync API, or a BenchError saying how to install it."""
    try:
        from playwright import sync_api
    except ImportError as exc:
        raise BenchError("playwright is not installed (pip install -e '.[dev]')") from exc
    return sync_api


def launch_chromium(playwright):
    """The system Chromium, headless, as the browser tests launch it."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


def task_seconds(cdp) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def run(args: argparse.Namespace) -> Result:
    seconds = args.seconds or (10.0 if args.quick else 30.0)
    sync_api = playwright_api()
    with session() as (directory, procs):
        hub = start_home(procs, directory, args.devices)
        with sync_api.sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(LONGTASKS)
                page.goto(hub.url + "/")
                page.get_by_test_id("connection").filter(has_text="connected").wait_for(
                    timeout=20000
                )
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable", {"timeTopMode": "threadTicks"})
                time.sleep(args.settle)
                long0 = page.evaluate("window.__benchLong")
                task0, wall0 = task_seconds(cdp), time.monotonic()
                time.sleep(seconds)
                task1, wall1 = task_seconds(cdp), time.monotonic()
                long1 = page.evaluate("window.__benchLong")
                heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
            finally:
                browser.close()
    wall = wall1 - wall0
    busy = (task1 - task0) / wall * 100.0
    long_pct = (long1 - long0) / 1000.0 / wall * 100.0
    data = {
        "busy_pct": round(busy, 1),
        "longtask_pct": round(long_pct, 1),
        "devices": args.devices,
        "seconds": seconds,
        "js_heap_mb": round(heap / 1e6, 1),
    }
    result = Result(NAME, data)
    result.rows += [
        at_most("main-thread busy", busy, "%", 25),
        Row("long tasks (>50 ms) share", long_pct, "%", "(lower bound)"),
    ]
    return result
