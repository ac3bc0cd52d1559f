"""Static files over HTTP, compressed once and kept in memory (`web.compression` decides).

`init_app` puts `serve_static` in place of Flask's own static view, so every
file under web/static/ (the page's modules, its stylesheet, socket.io) and
the Plotly bundle (`web.pages`) goes through `send_asset`: gzip for a client
that accepts it, `Vary: Accept-Encoding`, an ETag per representation (a 304
for a cached copy) and a year's caching for a URL carrying the file's
version (`static_url`). The bodies are plain bytes, so the response is the
same under Werkzeug's threaded server and under gunicorn's gthread worker.
"""

from __future__ import annotations

import mimetypes
import threading
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, url_for
from werkzeug.security import safe_join

from web.compression import IDENTITY, Asset, cache_control, compressible, encode_asset

# Python 3.11 maps .js to application/javascript; the current name (RFC 9239) is this one.
JAVASCRIPT = {".js": "text/javascript", ".mjs": "text/javascript"}


class AssetCache:
    """Each file encoded once, again only when its size or modification time changes.

    One lock for all files: concurrent first requests for the page's files
    (a browser asks for ~15 at once) compress each file once, not once each.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._assets: dict[Path, tuple[tuple[int, int], Asset]] = {}

    def get(self, path: Path) -> Asset:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            known = self._assets.get(path)
            if known is None or known[0] != stamp:
                asset = encode_asset(path.read_bytes(), compressible(mimetype_of(path)))
                known = self._assets[path] = (stamp, asset)
            return known[1]


CACHE = AssetCache()


def mimetype_of(path: Path) -> str:
    known = JAVASCRIPT.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    return known or "application/octet-stream"


def send_asset(path: Path) -> Response:
    """The file as this request wants it: coding, caching and a 304 when it is unchanged."""
    asset = CACHE.get(path)
    encoded = asset.encoded(request.headers.get("Accept-Encoding"))
    response = Response(encoded.body, mimetype=mimetype_of(path))
    if encoded.encoding != IDENTITY:
        response.content_encoding = encoded.encoding
    if asset.offered:
        response.vary.add("Accept-Encoding")
    response.set_etag(encoded.etag)
    response.headers["Cache-Control"] = cache_control(request.args.get("v"), asset)
    return response.make_conditional(request)


def serve_static(filename: str) -> Response:
    """Flask's static route (/static/<path:filename>), through `send_asset`."""
    joined = safe_join(str(current_app.static_folder), filename)
    if joined is None or not Path(joined).is_file():
        abort(404)
    return send_asset(Path(joined))


def static_url(filename: str) -> str:
    """/static/<filename>?v=<version>: for a file the page names directly (cached a year)."""
    path = Path(str(current_app.static_folder)) / filename
    return url_for("static", filename=filename, v=CACHE.get(path).version)


def init_app(app: Flask) -> None:
    app.view_functions["static"] = serve_static
    app.add_template_global(static_url)
