"""first-numbers: how soon a cold dashboard shows real numbers, and then its charts.

Each run opens the page in a fresh browser context (an empty cache, no
connection kept from the previous run) at a phone width (390x844) and a
desktop width (1400x1000). A probe injected with ``page.add_init_script``
checks the page on every animation frame, so a time is taken when a frame
showing the state can be painted, on the page's own clock
(``performance.now()``, zero at navigation start):

- ``numbers``: the header's power figure and every device card's power show a
  digit (the first snapshot is rendered);
- ``charts``: the live, today and history charts have each been drawn by Plotly.

The figures are medians over the runs at each width; ``transfer_kb`` is what
the page fetched (Resource Timing's ``transferSize``, so compression shows).
On loopback the bytes cost next to nothing; ``--mbps`` has Chromium throttle
the page's network (DevTools ``Network.emulateNetworkConditions``) as a phone
on Wi-Fi would see it, where they do.
"""

from __future__ import annotations

import argparse
import statistics

from bench.dashboard import launch_chromium, playwright_api
from bench.harness import BenchError, Result, Row, at_most, session, start_home

NAME = "first-numbers"
KEYS = ("numbers_ms", "charts_ms", "transfer_kb", "runs")
HELP = "cold dashboard in headless Chromium: time to first numbers and to charts, phone/desktop"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1400, "height": 1000}}
TARGET_MS = 1000.0
TIMEOUT_MS = 30000

# `__benchCards`: how many device cards must show a number (all the devices online).
PROBE = """
(() => {
  const marks = window.__benchMarks = {};
  const hasDigit = (element) => element !== null && /\\d/.test(element.textContent);
  const drawn = (id) => document.getElementById(id)?.querySelector(".main-svg") != null;
  const check = () => {
    if (marks.numbers === undefined) {
      const cards = [...document.querySelectorAll("#device-cards .card .power")];
      if (hasDigit(document.querySelector('[data-testid="summary-power"]'))
          && cards.length >= window.__benchCards && cards.every(hasDigit)) {
        marks.numbers = performance.now();
      }
    }
    if (marks.charts === undefined
        && ["live-chart", "today-chart", "history-chart"].every(drawn)) {
      marks.charts = performance.now();
    }
    if (marks.numbers === undefined || marks.charts === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""
TRANSFER = "performance.getEntriesByType('resource').reduce((n, e) => n + e.transferSize, 0)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, help="cold loads per width (quick 3, full 10)")
    parser.add_argument("--devices", type=int, default=12, help="devices in the home")
    parser.add_argument(
        "--server", choices=("werkzeug", "gunicorn"), default="werkzeug", help="the hub's server"
    )
    parser.add_argument(
        "--mbps", type=float, help="throttle the page's network to this many Mbit/s (5 ms RTT)"
    )


def throttle(page, mbps: float) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = mbps * 1e6 / 8  # bytes per second, each way
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 5, "downloadThroughput": rate, "uploadThroughput": rate},
    )


def cold_load(browser, url: str, viewport: dict[str, int], cards: int, mbps: float | None):
    """One navigation in a new context: the probe's marks and the bytes transferred."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        if mbps:
            throttle(page, mbps)
        page.add_init_script(f"window.__benchCards = {cards};" + PROBE)
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            "window.__benchMarks && window.__benchMarks.charts !== undefined"
            " && window.__benchMarks.numbers !== undefined",
            timeout=TIMEOUT_MS,
        )
        marks = page.evaluate("window.__benchMarks")
        return {**marks, "transfer": page.evaluate(TRANSFER)}
    finally:
        context.close()


def run(args: argparse.Namespace) -> Result:
    runs = args.runs or (3 if args.quick else 10)
    sync_api = playwright_api()
    loads: dict[str, list[dict[str, float]]] = {width: [] for width in WIDTHS}
    with session() as (directory, procs):
        hub = start_home(procs, directory, args.devices, "--server", args.server)
        with sync_api.sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for _ in range(runs):  # widths interleaved: a busy spell hits both
                    for width, viewport in WIDTHS.items():
                        loads[width].append(
                            cold_load(browser, hub.url + "/", viewport, args.devices, args.mbps)
                        )
            except sync_api.Error as exc:
                raise BenchError(f"the page never showed its numbers and charts: {exc}") from exc
            finally:
                browser.close()
    return report(loads, runs, args)


def report(loads: dict[str, list[dict[str, float]]], runs: int, args) -> Result:
    def median(width: str, key: str) -> float:
        return statistics.median(load[key] for load in loads[width])

    data = {
        "numbers_ms": {width: round(median(width, "numbers")) for width in WIDTHS},
        "charts_ms": {width: round(median(width, "charts")) for width in WIDTHS},
        "transfer_kb": round(median("desktop", "transfer") / 1024),
        "runs": runs,
        "devices": args.devices,
        "server": args.server,
        "mbps": args.mbps,
    }
    result = Result(NAME, data)
    for width in WIDTHS:
        result.rows.append(
            at_most(f"{width}: first numbers", median(width, "numbers"), "ms", TARGET_MS)
        )
    for width in WIDTHS:
        result.rows.append(Row(f"{width}: charts drawn", median(width, "charts"), "ms", "(info)"))
    result.rows.append(Row("transferred (desktop)", data["transfer_kb"], "kB", "(info)"))
    network = f"{args.mbps:g} Mbit/s" if args.mbps else "loopback"
    result.notes.append(
        f"median of {runs} cold loads per width, {args.devices} devices, {args.server}, {network}"
    )
    return result
