"""Every chart of the handbook, generated page or notebook: a vega-lite spec embedded as data, drawn by the book's own
vega bundle.

The spec is JSON inside `<script type="application/json">`, never code:
every `<`, `>` and `&` in it is written as a JSON unicode escape, so text
from a standard or the data (`</script><script>...`) cannot end the
element, and the page's one line of script only parses it and hands it to
`vegaEmbed`. Notebooks use the same path through an Altair renderer
(`enable_notebook_charts`), never Altair's own `html` renderer, which puts
the spec in an inline script with plain `json.dumps`.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

__all__ = ["chart_html", "dump_safe_json", "enable_notebook_charts", "make_chart_block", "render_notebook_chart"]

_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029", "`": "\\u0060"}
_UNSAFE_RE = re.compile("[" + "".join(_UNSAFE) + "]")
_NAME = re.compile(r"^[a-z0-9-]+$")


def dump_safe_json(data: Any) -> str:
    """Compact, key-sorted JSON that is inert inside an HTML script element and a markdown fence."""
    dumped = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _UNSAFE_RE.sub(lambda m: _UNSAFE[m.group(0)], dumped)


def chart_html(name: str, spec: dict[str, Any], *, renderer: str = "canvas") -> str:
    """The HTML that draws `spec` (a vega-lite dict) offline: a div, the spec as inert JSON, one line of script.

    Args:
        name: Kebab-case name of the chart, unique on its page (part of the element ids).
        spec: The vega-lite specification (e.g. `chart.to_dict()`).
        renderer: `canvas` (fast with thousands of marks) or `svg`.
    """
    if not _NAME.match(name) or renderer not in ("canvas", "svg"):
        raise ValueError(f"bad chart name or renderer: {name!r}, {renderer!r}")
    data = dump_safe_json(spec)
    ident = f"chart-{name}-{hashlib.sha1(data.encode('utf-8')).hexdigest()[:8]}"
    script = (
        "(function(){"
        f'var el=document.getElementById("{ident}");'
        f'var spec=JSON.parse(document.getElementById("{ident}-spec").textContent);'
        "if(typeof vegaEmbed!=='function'){el.textContent='图表库未加载 chart library not loaded';return;}"
        f'vegaEmbed(el,spec,{{actions:false,renderer:"{renderer}"}})'
        ".catch(function(e){el.textContent='图表无法显示 chart failed: '+e.message;});"
        "})();"
    )
    return "\n".join(
        [
            f'<div class="servicekb-chart" id="{ident}"></div>',
            f'<script type="application/json" id="{ident}-spec">{data}</script>',
            f"<script>{script}</script>",
        ]
    )


def make_chart_block(name: str, spec: dict[str, Any], *, renderer: str = "canvas") -> list[str]:
    """Markdown lines of a raw-HTML block that draws `spec` offline (see `chart_html`)."""
    return ["```{raw} html", *chart_html(name, spec, renderer=renderer).split("\n"), "```", ""]


def render_notebook_chart(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    """An Altair renderer: the chart's output in a notebook, through `chart_html`.

    The element id comes from the spec's content and the chart's place in
    the notebook, so that a re-run gives the same bytes.
    """
    render_notebook_chart.count = getattr(render_notebook_chart, "count", 0) + 1  # type: ignore[attr-defined]
    name = f"nb{render_notebook_chart.count}"  # type: ignore[attr-defined]
    return {"text/html": chart_html(name, spec, renderer="svg"), "text/plain": f"<chart {name}>"}


def enable_notebook_charts() -> None:
    """Draw the notebook's Altair charts through the safe embedding (call once, at the top of a notebook)."""
    import altair as alt

    render_notebook_chart.count = 0  # type: ignore[attr-defined]
    alt.renderers.register("servicekb", render_notebook_chart)
    alt.renderers.enable("servicekb")
