"""Third-party files shipped inside installed packages, found in one place.

The dashboard and the simulator's report must work with no internet, so
Plotly.js comes from the `plotly` Python package's own bundled copy, never a CDN.
"""

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def plotly_bundle() -> Path:
    """The plotly.min.js shipped inside the installed `plotly` package."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise FileNotFoundError(f"the plotly package has no bundled plotly.min.js at {path}")
    return path
