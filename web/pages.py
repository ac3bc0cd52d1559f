"""The dashboard page and the locally served Plotly bundle.

Everything the page needs is served by this process: the dashboard must work
with no internet, so Plotly.js comes from the `plotly` Python package's own
bundled copy rather than a CDN (common/vendor.py finds it). Both it and web/static/ are sent by
`web.assets` (compressed, versioned).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, render_template, url_for
from flask.typing import ResponseReturnValue

from common.vendor import plotly_bundle
from hub.core.settings import (
    DEFAULT_CLEAR_FRACTION,
    THRESHOLD_LEVELS,
    THRESHOLD_RULES,
    ThresholdConfig,
)
from web import assets

blueprint = Blueprint("pages", __name__, template_folder="templates")


def threshold_rules() -> dict[str, Any]:
    """The hub's threshold rule table as the page's rule editor reads it (static/thresholds.js).

    Sent with the page so that the form's rules, their keys and units, and the
    default "clear below" are the hub's own, never a copy in the script.
    """
    return {
        "rules": [  # a list, not an object: JSON objects are sent with sorted keys
            {
                "name": rule.name,
                "above": rule.above_key,
                "clear": rule.clear_key,
                "unit": rule.unit,
                "device": rule.takes_device,
            }
            for rule in THRESHOLD_RULES.values()
        ],
        "levels": list(THRESHOLD_LEVELS),
        "clear_fraction": DEFAULT_CLEAR_FRACTION,
        "for_s": ThresholdConfig.for_s,
        "level": ThresholdConfig.level,
    }


@blueprint.get("/")
def index() -> ResponseReturnValue:
    # The page loads Plotly itself once it shows its numbers (static/plotly-loader.js).
    plotly_url = url_for("pages.plotly_js", v=assets.CACHE.get(plotly_bundle()).version)
    return render_template("index.html", plotly_url=plotly_url, threshold_rules=threshold_rules())


@blueprint.get("/static/vendor/plotly.min.js")
def plotly_js() -> Response:
    return assets.send_asset(plotly_bundle())


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    assets.init_app(app)
