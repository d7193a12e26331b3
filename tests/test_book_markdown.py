"""Escaping untrusted text into MyST markdown: whatever a standard says, a page shows it as text."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from servicekb.book.markdown import escape_text, make_admonition, make_link, make_table, make_target

# The extensions of `_config.yml`, and math, which the book leaves off but must not depend on.
CONFIG = yaml.safe_load((Path(__file__).resolve().parents[1] / "_config.yml").read_text(encoding="utf-8"))
MD = create_md_parser(
    MdParserConfig(enable_extensions={*CONFIG["parse"]["myst_enable_extensions"], "dollarmath"}), RendererHTML
)


def _collapsed(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _inline_types(markdown: str) -> list[str]:
    tokens = MD.parse(markdown)
    return [t.type for t in tokens] + [c.type for t in tokens if t.children for c in t.children]


HOSTILE = [
    # a MyST code cell that would run at build time
    "```{code-cell} python\nimport os\nos.system('touch /tmp/x')\n```",
    # raw HTML and a script
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    # an inline role that evaluates code
    "{eval}`__import__('os').getcwd()`",
    # a colon-fenced directive
    ":::{danger} boom\ninside\n:::",
    # display math and inline math
    "$$\\int_0^1 x\\,dx$$ and $x$",
    # a substitution and a target
    "{{ secret }}\n(label)=",
    # a link, an image and an autolink
    "[click](javascript:alert(1)) ![i](x.png) <http://example.com>",
    # headings, lists, quotes, thematic breaks and setext underlines
    "# title\n- item\n1. first\n> quote\n***\ntext\n===",
    # a table row and a definition list
    "| a | b |\n|---|---|\nterm\n: definition",
    # comments, block breaks and HTML entities
    "% comment\n+++\n&lt;b&gt; &amp; &#x3c;",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_becomes_one_plain_paragraph(hostile):
    markdown = escape_text(hostile)
    assert _inline_types(markdown) == ["paragraph_open", "inline", "paragraph_close", "text"]
    assert MD.render(markdown) == f"<p>{escapeHtml(_collapsed(hostile))}</p>\n"


@settings(max_examples=300, deadline=None)
# Markdown's own characters are drawn often; any other character now and then.
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(string.punctuation + " \n\t\u3000投诉"),
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        ),
        max_size=60,
    )
)
def test_any_text_renders_as_itself(value):
    markdown = escape_text(value)
    shown = _collapsed(value)
    if not shown:
        assert MD.parse(markdown) == []
        return
    assert MD.render(markdown) == f"<p>{escapeHtml(shown)}</p>\n"


def test_pipes_stay_inside_their_table_cell():
    rendered = MD.render(make_table(["a", "b"], [[escape_text("x | y"), escape_text("<td>z</td>")]]))
    assert rendered.count("<td>") == 2
    assert "<td>x | y</td>" in rendered
    assert "&lt;td&gt;z&lt;/td&gt;" in rendered


@pytest.mark.parametrize(
    "label",
    [
        # an ordinary clause id
        "retail-guide#6.1.c",
        # Chinese numbering with parentheses
        "textile-enterprise#一.(一).a",
        # angle brackets and a backslash in an id
        "evil#<i>b</i>\\",
    ],
)
def test_link_destination_keeps_the_label(label):
    tokens = MD.parse(make_link(label, escape_text("shown")))
    anchors = [c for c in tokens[1].children if c.type == "link_open"]
    assert len(anchors) == 1
    assert MD.normalizeLinkText(anchors[0].attrs["href"]) == "#" + label


def test_target_rejects_a_label_with_spaces():
    with pytest.raises(ValueError):
        make_target("two words")


def test_admonition_body_cannot_close_its_fence():
    lines = make_admonition("warning", escape_text("title"), [escape_text(":::\n:::{danger} x")])
    tokens = MD.parse("\n".join(lines))
    fences = [t for t in tokens if t.type == "colon_fence"]
    assert len(fences) == 1
    assert fences[0].info == "{admonition} title"
