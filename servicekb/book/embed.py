"""A chart in a generated page: a vega-lite spec embedded as data, drawn by the book's own vega bundle.

The spec is JSON inside `<script type="application/json">`, never code:
every `<`, `>` and `&` in it is written as a JSON unicode escape, so text
from a standard (`</script><script>...`) cannot end the element, and the
page's one line of script only parses it and hands it to `vegaEmbed`.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

__all__ = ["dump_safe_json", "make_chart_block"]

_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029", "`": "\\u0060"}
_UNSAFE_RE = re.compile("[" + "".join(_UNSAFE) + "]")
_NAME = re.compile(r"^[a-z0-9-]+$")


def dump_safe_json(data: Any) -> str:
    """Compact, key-sorted JSON that is inert inside an HTML script element and a markdown fence."""
    dumped = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _UNSAFE_RE.sub(lambda m: _UNSAFE[m.group(0)], dumped)


def make_chart_block(name: str, spec: dict[str, Any], *, renderer: str = "canvas") -> list[str]:
    """Markdown lines of a raw-HTML block that draws `spec` (a vega-lite dict) offline.

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
    return [
        "```{raw} html",
        f'<div class="servicekb-chart" id="{ident}"></div>',
        f'<script type="application/json" id="{ident}-spec">{data}</script>',
        f"<script>{script}</script>",
        "```",
        "",
    ]
