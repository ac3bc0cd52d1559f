"""The dashboard page and the locally served Plotly bundle.

Everything the page needs is served by this process: the dashboard must work
with no internet, so Plotly.js comes from the `plotly` Python package's own
bundled copy rather than a CDN.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata, resources
from pathlib import Path

from flask import Blueprint, Flask, render_template, send_file
from flask.typing import ResponseReturnValue

blueprint = Blueprint("pages", __name__, template_folder="templates")

# The bundle's URL carries the package version (see index.html), so a year's
# caching is safe: an upgrade changes the URL.
PLOTLY_MAX_AGE_S = 365 * 24 * 3600


@cache
def plotly_bundle() -> Path:
    """The plotly.min.js shipped inside the installed `plotly` package."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise FileNotFoundError(f"the plotly package has no bundled plotly.min.js at {path}")
    return path


@cache
def plotly_version() -> str:
    try:
        return metadata.version("plotly")
    except metadata.PackageNotFoundError:  # run from a source tree without metadata
        return "local"


@blueprint.get("/")
def index() -> ResponseReturnValue:
    return render_template("index.html", plotly_version=plotly_version())


@blueprint.get("/static/vendor/plotly.min.js")
def plotly_js() -> ResponseReturnValue:
    response = send_file(
        plotly_bundle(), mimetype="text/javascript", max_age=PLOTLY_MAX_AGE_S, conditional=True
    )
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
