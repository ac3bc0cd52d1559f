"""The dashboard page and the locally served Plotly bundle.

Everything the page needs is served by this process: the dashboard must work
with no internet, so Plotly.js comes from the `plotly` Python package's own
bundled copy rather than a CDN. Both it and web/static/ are sent by
`web.assets` (compressed, versioned).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from flask import Blueprint, Flask, Response, render_template, url_for
from flask.typing import ResponseReturnValue

from web import assets

blueprint = Blueprint("pages", __name__, template_folder="templates")


@cache
def plotly_bundle() -> Path:
    """The plotly.min.js shipped inside the installed `plotly` package."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise FileNotFoundError(f"the plotly package has no bundled plotly.min.js at {path}")
    return path


@blueprint.get("/")
def index() -> ResponseReturnValue:
    # The page loads Plotly itself once it shows its numbers (static/plotly-loader.js).
    plotly_url = url_for("pages.plotly_js", v=assets.CACHE.get(plotly_bundle()).version)
    return render_template("index.html", plotly_url=plotly_url)


@blueprint.get("/static/vendor/plotly.min.js")
def plotly_js() -> Response:
    return assets.send_asset(plotly_bundle())


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    assets.init_app(app)
