"""The dashboard page and its files through Flask's test client.

The browser behaviour is in test_web_browser.py; here: the page is served
with its test hooks, everything it loads is served by this app (no CDN, no
external URL anywhere), Plotly comes from the installed package, and no
script renders data as HTML.
"""

import re
from importlib import resources
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
MODULES = sorted(STATIC.glob("*.js"))
HOOKS = (
    "connection", "summary-power", "live-chart", "alerts-panel", "settings-thresholds",
    "save-thresholds", "history-chart", "history-download", "problems",
)  # fmt: skip
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action)\s*=\s*["']?|\bimport\b[^;]*?["']|url\(\s*["']?)"""
    r"""\s*(?:https?:)?//""",
    re.IGNORECASE,
)
LOCAL_URL = re.compile(r"""\b(?:src|href|content)="(/[^"]*)\"""")
MODULE_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']""", re.M)


def body(response) -> bytes:
    """The whole body, closing the response (send_file streams an open file)."""
    try:
        return response.get_data()
    finally:
        response.close()


def test_the_page_is_served_with_every_test_hook(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = body(response).decode()
    for hook in HOOKS:
        assert f'data-testid="{hook}"' in html, hook
    assert '<script type="module" src="/static/app.js"' in html
    assert re.search(r'src="/static/vendor/socket\.io\.min\.js\?v=[0-9a-f]+"', html)
    # Plotly is no script of the page: plotly-loader.js reads its URL and loads it later.
    assert re.search(
        r'name="plotly-src" content="/static/vendor/plotly\.min\.js\?v=[0-9a-f]+"', html
    )
    assert not re.search(r"<script[^>]*plotly", html)


def test_every_file_the_page_loads_is_served_here(client):
    html = body(client.get("/")).decode()
    urls = LOCAL_URL.findall(html)
    assert len(urls) >= 4  # the stylesheet, Plotly, socket.io, app.js (and the CSV link)
    for url in urls:
        if url.startswith("/api/"):
            continue  # the CSV download: the API's own tests cover it
        response = client.get(url)
        assert response.status_code == 200, url
        body(response)


def test_no_external_url_in_the_page_or_its_scripts_and_styles(client):
    html = body(client.get("/")).decode()
    assert not EXTERNAL.findall(html)
    assert "http://" not in html and "https://" not in html
    for path in [*MODULES, STATIC / "style.css"]:
        text = path.read_text(encoding="utf-8")
        assert not EXTERNAL.findall(text), path.name
        assert "http://" not in text and "https://" not in text, path.name


def test_the_external_url_check_would_catch_one():
    assert EXTERNAL.search('<script src="https://cdn.example/x.js">')
    assert EXTERNAL.search('import { io } from "//cdn.example/socket.io.js";')
    assert EXTERNAL.search("background: url(http://example.com/a.png)")
    assert not EXTERNAL.search('<script src="/static/app.js">')


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_each_module_and_its_imports_are_served_as_javascript(client, module):
    response = client.get(f"/static/{module.name}")
    assert response.status_code == 200
    assert response.mimetype in {"text/javascript", "application/javascript"}
    text = body(response).decode()
    for target in MODULE_IMPORT.findall(text):
        assert target.startswith("./"), f"{module.name} imports {target}: only local modules"
        assert (STATIC / target[2:]).is_file(), f"{module.name} imports missing {target}"


def test_the_stylesheet_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b"prefers-color-scheme: dark" in body(response)


def test_plotly_is_the_installed_package_bundle_with_a_long_cache(client):
    bundled = (resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()
    html = body(client.get("/")).decode()
    url = re.search(r'name="plotly-src" content="([^"]+)"', html).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.cache_control.max_age >= 365 * 24 * 3600
    assert body(response) == bundled


def test_no_script_renders_data_as_html():
    """Device names and alert messages come from devices: they must only ever be text."""
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
            assert sink not in text, f"{path.name} uses {sink}"


def test_modules_stay_small():
    for path in MODULES:
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines < 300, f"{path.name} has {lines} lines"
