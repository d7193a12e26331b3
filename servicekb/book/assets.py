"""The offline chart library: one vega/vega-lite/vega-embed bundle in `_static/`, served by the book itself.

Altair's HTML output loads vega from a CDN unless `window.VEGA_DEBUG` says
the versions it wants are already loaded. The bundle (made by vl-convert,
no network needed) defines `vega`, `vegaLite` and `vegaEmbed` and records
the versions altair asks for, so every chart renders with no network. It is
wrapped in a function so that its top-level names stay out of the page's
global scope, and its first line names the versions: a changed altair
rewrites it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUNDLE", "ensure_vega_bundle", "make_bundle_header", "render_vega_bundle"]

BUNDLE = "_static/vega-bundle.js"


def make_bundle_header() -> str:
    """The first line of the bundle: the versions altair will ask for."""
    import altair as alt
    import vl_convert as vlc

    return (
        f"/* servicekb offline charts: vega {alt.VEGA_VERSION}, vega-lite {alt.VEGALITE_VERSION}, "
        f"vega-embed {alt.VEGAEMBED_VERSION} (altair {alt.__version__}, vl-convert {vlc.__version__}) */"
    )


def render_vega_bundle() -> str:
    """The bundle text: vega, vega-lite and vega-embed as globals, and the versions altair checks."""
    import altair as alt
    import vl_convert as vlc

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    library = vlc.javascript_bundle(vl_version=major_minor)
    versions = (
        f'{{vega_version: "{alt.VEGA_VERSION}", vegalite_version: "{alt.VEGALITE_VERSION}", '
        f'vegaembed_version: "{alt.VEGAEMBED_VERSION}"}}'
    )
    return (
        f"{make_bundle_header()}\n(function () {{\n{library}\n}})();\n"
        f"window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {{}}, {versions});\n"
    )


def ensure_vega_bundle(root: Path) -> bool:
    """Write `_static/vega-bundle.js` under `root` when it is missing or made for other versions; True when written."""
    path = root / BUNDLE
    header = make_bundle_header()
    if path.is_file():
        with path.open(encoding="utf-8") as fh:
            if fh.readline().rstrip("\n") == header:
                return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_vega_bundle(), encoding="utf-8", newline="\n")
    return True
