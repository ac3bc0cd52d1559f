"""The live chart's series arithmetic (web/static/live-series.js), run in the system Chromium."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
ORIGIN = "http://static.test"


@pytest.fixture
def series(browser):
    """A page that can import the static modules, served straight from the checkout."""
    page = browser.new_page()

    def serve(route):
        name = route.request.url.removeprefix(ORIGIN + "/") or "index.html"
        if name == "index.html":
            route.fulfill(body="<!doctype html><title>t</title>", content_type="text/html")
        else:
            route.fulfill(path=STATIC / name, content_type="text/javascript")

    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    yield page
    page.close()


THIN = """async ([x, limit]) => {
  const { thinBefore } = await import("/live-series.js");
  const trace = { x: [...x], y: x.map((_, i) => i) };
  thinBefore(trace, limit);
  return trace;
}"""


def stamp(second: int) -> str:
    return f"2026-11-24 10:{second // 60:02d}:{second % 60:02d}.000"


def test_old_points_keep_the_last_of_each_ten_seconds(series):
    x = [stamp(s) for s in range(0, 40, 2)]  # every 2 s for 40 s
    trace = series.evaluate(THIN, [x, 15])  # thin the first 30 s, leave the rest
    kept = [stamp(8), stamp(18), stamp(28), *x[15:]]
    assert trace["x"] == kept
    assert trace["y"] == [x.index(t) for t in kept]  # each value stays with its time


def test_thinning_twice_changes_nothing_more(series):
    x = [stamp(s) for s in range(0, 60, 3)]
    once = series.evaluate(THIN, [x, len(x)])
    twice = series.evaluate(THIN, [once["x"], len(once["x"])])
    assert len(once["x"]) == 6
    assert twice["x"] == once["x"]
