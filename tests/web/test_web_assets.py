"""Static files through Flask's test client: gzip when accepted, versions, 304s.

The decisions themselves are tested in test_web_compression.py; here: the
HTTP adapter sends what they decided, with the right headers, for the
Plotly bundle and for every file under web/static/; and a real hub sends the
same bytes under Werkzeug and under gunicorn.
"""

import gzip
import os
import re
import urllib.request
from pathlib import Path

import pytest
from live_home import start_live_home

from web.assets import AssetCache
from web.compression import IMMUTABLE, REVALIDATE
from web.pages import plotly_bundle

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
FILES = {
    "/static/vendor/plotly.min.js": plotly_bundle(),
    "/static/vendor/socket.io.min.js": STATIC / "vendor" / "socket.io.min.js",
    "/static/app.js": STATIC / "app.js",
    "/static/plotly-loader.js": STATIC / "plotly-loader.js",
    "/static/style.css": STATIC / "style.css",
}
GZIP = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def page_url(client, pattern: str) -> str:
    """The URL the page itself uses for a file (with its ?v=)."""
    html = client.get("/").get_data(as_text=True)
    match = re.search(rf'"({pattern}\?v=[0-9a-f]+)"', html)
    assert match, pattern
    return match.group(1)


@pytest.mark.parametrize("url", FILES)
def test_a_gzip_request_gets_gzip_that_decompresses_to_the_file(client, url):
    response = client.get(url, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    raw = response.get_data()
    assert int(response.headers["Content-Length"]) == len(raw)
    assert gzip.decompress(raw) == FILES[url].read_bytes()
    assert len(raw) < FILES[url].stat().st_size / 2


@pytest.mark.parametrize("url", FILES)
def test_a_request_without_accept_encoding_gets_the_file_as_it_is(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]  # a cache must not reuse it for gzip
    raw = response.get_data()
    assert raw == FILES[url].read_bytes()
    assert int(response.headers["Content-Length"]) == len(raw)


def test_a_client_refusing_gzip_gets_the_file_as_it_is(client):
    response = client.get("/static/app.js", headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == FILES["/static/app.js"].read_bytes()


def test_scripts_and_styles_say_what_they_are(client):
    assert client.get("/static/app.js", headers=GZIP).mimetype == "text/javascript"
    assert client.get("/static/vendor/plotly.min.js").mimetype == "text/javascript"
    assert client.get("/static/style.css", headers=GZIP).mimetype == "text/css"


@pytest.mark.parametrize(
    "pattern", [r"/static/vendor/plotly\.min\.js", r"/static/vendor/socket\.io\.min\.js",
                r"/static/style\.css"],
)  # fmt: skip
def test_the_versioned_urls_of_the_page_are_cached_for_a_year(client, pattern):
    url = page_url(client, pattern)
    for headers in ({}, GZIP):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert response.cache_control.max_age == 365 * 24 * 3600


def test_unversioned_or_stale_urls_are_revalidated(client):
    assert client.get("/static/app.js").headers["Cache-Control"] == REVALIDATE
    stale = client.get("/static/vendor/plotly.min.js?v=5.0.0")
    assert stale.headers["Cache-Control"] == REVALIDATE


def test_an_unchanged_file_is_a_304_for_its_own_representation(client):
    zipped = client.get("/static/app.js", headers=GZIP)
    plain = client.get("/static/app.js")
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/static/app.js", headers={**GZIP, "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    # the identity copy's ETag does not validate the gzip representation
    other = client.get("/static/app.js", headers={**GZIP, "If-None-Match": plain.headers["ETag"]})
    assert other.status_code == 200
    assert other.headers["Content-Encoding"] == "gzip"


def test_head_gives_the_length_without_the_body(client):
    head = client.head("/static/style.css", headers=GZIP)
    assert head.status_code == 200
    assert head.get_data() == b""
    full = client.get("/static/style.css", headers=GZIP)
    assert head.headers["Content-Length"] == full.headers["Content-Length"]


@pytest.mark.parametrize(
    "url", ["/static/nosuch.js", "/static/vendor", "/static/../pages.py", "/static/..%2Fpages.py"]
)
def test_a_missing_or_outside_file_is_a_404(client, url):
    assert client.get(url, headers=GZIP).status_code == 404


def test_the_cache_encodes_a_file_once_and_again_when_it_changes(tmp_path):
    path = tmp_path / "app.js"
    path.write_text("console.log('one');\n" * 100)
    cache = AssetCache()
    first = cache.get(path)
    assert cache.get(path) is first
    path.write_text("console.log('two');\n" * 100)
    os.utime(path, ns=(1, 1))  # a different stamp even within the clock's resolution
    second = cache.get(path)
    assert second is not first
    assert second.version != first.version
    assert gzip.decompress(second.encoded("gzip").body) == path.read_bytes()


@pytest.mark.integration
@pytest.mark.parametrize("server", ["werkzeug", "gunicorn"])
def test_both_servers_send_the_gzip_bytes_with_their_length(procs, tmp_path, server):
    """The dev server and gunicorn (docker compose) each send what the adapter made."""
    home = start_live_home(procs, tmp_path, "--server", server)
    request = urllib.request.Request(home.url + "/static/vendor/plotly.min.js", headers=GZIP)
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        headers = response.headers
    assert headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) == len(raw)
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(raw) == plotly_bundle().read_bytes()
