"""Handbook injection without a browser: the one embedding path for charts, and the notebooks that must use it.

A chart's spec (names of stores and metrics, data values) is data inside
`<script type="application/json">`: whatever a name holds, the element has
exactly its own two closing tags, and the spec parses back to the same
text. Every notebook draws its charts through that path, never through
Altair's `html` renderer (which embedded `json.dumps` output in live script).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from servicekb.book.embed import chart_html, enable_notebook_charts, render_notebook_chart

ROOT = Path(__file__).resolve().parents[1]
PAYLOADS = [
    "</script><script>alert(3)</script>",
    "</SCRIPT ><script>alert(3)</script >",
    "<!--<script>",
    "<img src=x onerror=alert(1)>",
    "\u2028\u2029 line separators",
    "`${alert(1)}`",
    "]]></script>",
    "&lt;script&gt; & entities",
    "{{ 7*7 }} {eval}`1` $$x$$",
    "<svg onload=alert(1)>",
]


def _spec_of(html: str) -> str:
    return re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S | re.I).group(1)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_name_in_a_chart_stays_inert_data(payload):
    spec = {"data": {"values": [{"门店": payload}]}, "mark": "bar", "title": payload}
    html = chart_html("stores", spec)
    # exactly the element's own two closing tags, whatever the name holds
    assert len(re.findall(r"</script", html, re.I)) == 2
    assert "<!--" not in html and "<img" not in html and "<svg" not in html
    assert json.loads(_spec_of(html)) == spec


def test_notebook_charts_go_through_the_safe_embedding_and_are_deterministic():
    import altair as alt

    previous = alt.renderers.active
    enable_notebook_charts()
    try:
        chart = alt.Chart(alt.Data(values=[{"门店": PAYLOADS[0], "n": 1}])).mark_bar().encode(x="n:Q", y="门店:N")
        bundle = chart._repr_mimebundle_()
        html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
        assert len(re.findall(r"</script", html, re.I)) == 2
        assert "alert(3)" in json.loads(_spec_of(html))["data"]["values"][0]["门店"]
        render_notebook_chart.count = 0  # the same notebook run again gives the same bytes
        again = chart._repr_mimebundle_()
        assert (again[0] if isinstance(again, tuple) else again)["text/html"] == html
    finally:
        alt.renderers.enable(previous)


@pytest.mark.parametrize("notebook", sorted(p.name for p in (ROOT / "notebooks").glob("*.md")))
def test_no_notebook_uses_an_unsafe_renderer_or_raw_output(notebook):
    text = (ROOT / "notebooks" / notebook).read_text(encoding="utf-8")
    assert 'renderers.enable("html"' not in text and "renderers.enable('html'" not in text
    assert not re.search(r"\b(HTML|Markdown|Javascript)\(", text)  # raw display objects bypass escaping
    assert ".to_html(escape=False" not in text and "escape=False" not in text
    if "import altair" in text:
        assert "enable_notebook_charts()" in text
