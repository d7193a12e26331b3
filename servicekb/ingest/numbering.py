"""Which numbers in run-on text are headings: 第N章, N.N, N.N.N, 一、, (一), 1.

A number counts as a heading only where it continues the numbering in force
(1.2 after 1.1, 二、 after 一、, 1.1 restarting under 一、 or under 6.1), so
statistics such as 87.6分 or 12.3万次 are never headings. 一、 (一) and 1.
also need to open a sentence or follow another heading's title, so that
`统一、可追溯` is not a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from servicekb.ingest.titles import split_title

__all__ = ["Node", "build_tree", "cn_to_int", "find_candidates", "flatten"]

_CN = "一二三四五六七八九十"
_HEADING = re.compile(
    rf"(?P<chapter>(?:\d{{1,2}}\.)?第(?P<ch>\d{{1,2}}|[{_CN}]{{1,3}})章)"
    rf"|(?P<article>第(?P<art>\d{{1,3}}|[{_CN}百零]{{1,5}})条)"
    r"|(?P<annex>附录\s*(?P<letter>[A-Z])(?![A-Za-z]))"
    r"|(?P<annexsub>(?<![A-Za-z\d.])[A-Z]\.\d{1,2}(?:\.\d{1,2})?(?![\d.]))"
    r"|(?P<dotted>(?<![\d.A-Za-z/\-])\d{1,2}(?:\.\d{1,2}){1,2}(?![\d.]))"
    rf"|(?P<cn>(?<![第\d{_CN}])[{_CN}]{{1,3}}、)"
    rf"|(?P<paren>[(（][{_CN}]{{1,3}}[)）])"
    r"|(?P<line>(?:(?<=\n)|^)[ \t\u3000]*\d{1,2}(?:[ \t\u3000]+|[、.．](?![\d.]))(?=[ \t\u3000]*[\u4e00-\u9fff“《]))"
    r"|(?P<item>(?<![\d.A-Za-z])\d{1,2}[.、](?![\d.]))"
)
# A title starts with a Chinese character or an opening quote; these units mean a quantity.
_TITLE_START = re.compile(r"[\u4e00-\u9fff“《]")
_UNIT_START = tuple("分万亿元倍个次秒天年%")


def cn_to_int(text: str) -> int | None:
    """Value of a Chinese numeral up to 99 (一 1, 十 10, 十二 12, 二十三 23), or None."""
    digits = {c: i + 1 for i, c in enumerate(_CN[:9])}
    if not text or any(c not in digits and c != "十" for c in text):
        return None
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


@dataclass(eq=False)
class Node:
    """A section as found: printed number, key for ids, title, body text and children."""

    kind: str  # chapter | article | annex | annexsub | cn | paren | item | dotted | body | preamble
    printed: str  # the number as printed: "1" for 第1章, "一", "(一)", "1", "1.2"
    value: tuple[int, ...]  # numeric value: (1,) for 一 or 1., (1, 2) for 1.2
    start: int
    end: int  # end of the number: the title starts here
    title: str = ""
    body: str = ""
    key: str = ""
    alias: str | None = None  # 一、 printed right before the same section's 1.1
    status: str = "body"
    children: list[Node] = field(default_factory=list)
    line: bool = False  # the number opens a line ("1 范围"): the rest of a sentence-like line is body, not title
    heading: str = ""  # the heading as printed (number and, when printed, title): for the round trip


def find_candidates(text: str, paren_style: bool):
    # Numbers at the start of a line ("1 范围", "2. 服务要求") are chapters only in a
    # document without 第N章 and without 一、 at the start of a line (there they are items).
    line_chapters = (
        not re.search(r"第(\d{1,2}|[一二三四五六七八九十]{1,3})章", text)
        and not re.search(rf"(?m)^[ \t\u3000]*[{_CN}]{{1,3}}、", text)
        and not paren_style
    )
    for m in _HEADING.finditer(text):
        kind = next(
            k
            for k in ("chapter", "article", "annex", "annexsub", "dotted", "cn", "paren", "line", "item")
            if m.group(k)
        )
        if kind == "line":
            if not line_chapters:
                raw = re.sub(r"\D", "", m.group(0))
                start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t\u3000"))
                yield Node("item", raw, (int(raw),), start, m.end(), line=True)
                continue
            else:
                raw = re.sub(r"\D", "", m.group(0))
                yield Node(
                    "chapter",
                    raw,
                    (int(raw),),
                    m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t\u3000")),
                    m.end(),
                    line=True,
                )
                continue
        token = m.group(0).strip()
        after = m.end()
        while after < len(text) and text[after] in " \t\u3000":  # "2.1 维修响应时间": a space may follow the number
            after += 1
        nxt = text[after : after + 1]
        if kind not in ("chapter", "article", "annex") and not _TITLE_START.match(nxt):
            continue
        if kind in ("dotted", "item") and nxt.startswith(_UNIT_START):  # 87.6分, 3.5万
            continue
        if kind == "chapter":
            raw = m.group("ch")
            n = int(raw) if raw.isdigit() else cn_to_int(raw)
            value, printed = (n,), str(n)
        elif kind == "article":
            raw = m.group("art")
            n = int(raw) if raw.isdigit() else _cn_article(raw)
            value, printed = (n,), f"第{raw}条"
        elif kind == "annex":
            value, printed = (ord(m.group("letter")) - 64,), m.group("letter")
        elif kind == "annexsub":
            value, printed = tuple(int(p) for p in token[2:].split(".")), token
        elif kind == "dotted":
            value = tuple(int(p) for p in token.split("."))
            printed = token
        elif kind == "cn":
            value, printed = (cn_to_int(token[:-1]),), token[:-1]
        elif kind == "paren":
            value, printed = (cn_to_int(token[1:-1]),), f"({token[1:-1]})"
        else:
            value, printed = (int(token[:-1]),), token[:-1]
            if not paren_style:
                continue
        if None in value:
            continue
        yield Node(kind, printed, value, m.start(), m.end())


def _cn_article(text: str) -> int | None:
    """第一百零二条: Chinese numerals up to 999 for article numbers."""
    if "百" not in text:
        return cn_to_int(text)
    hundreds, _, rest = text.partition("百")
    h = cn_to_int(hundreds) if hundreds else 1
    rest = rest.lstrip("零")
    r = cn_to_int(rest) if rest else 0
    if rest and len(rest) == 1 and "零" not in text and r is not None:
        r *= 10  # 一百二 = 120
    return None if h is None or r is None else h * 100 + r


class _Builder:
    """Accepts a heading only where it continues the numbering in force."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.roots: list[Node] = []
        self.stack: list[Node] = []  # open nodes, outermost first
        self._last_article: Node | None = None

    def _open(self, kind: str) -> Node | None:
        return next((n for n in reversed(self.stack) if n.kind == kind), None)

    def _push(self, node: Node, parent: Node | None) -> None:
        siblings = parent.children if parent else self.roots
        siblings.append(node)
        if parent is not None and parent not in self.stack:  # a closed section reopened (A.2 after 附录B)
            self.stack = [parent]
        depth = self.stack.index(parent) + 1 if parent else 0
        del self.stack[depth:]
        self.stack.append(node)

    @staticmethod
    def _follows(prev: Node | None, node: Node) -> bool:
        last = prev.value[-1] if prev else 0
        return node.value[-1] == last + 1

    def _last_child(self, parent: Node | None, kinds: tuple[str, ...]) -> Node | None:
        siblings = parent.children if parent else self.roots
        return next((n for n in reversed(siblings) if n.kind in kinds), None)

    def accept(self, node: Node) -> bool:
        handler = getattr(self, f"_accept_{node.kind}")
        return handler(node)

    def _accept_chapter(self, node: Node) -> bool:
        prev = self._last_child(None, ("chapter",))
        if prev is not None and not self._follows(prev, node):  # an excerpt may start at any chapter
            return False
        self._push(node, None)
        return True

    def _starts_fresh(self, node: Node) -> bool:
        """一、 (一) 1. open a heading only after a sentence or right after another heading's title."""
        before = self.text[: node.start].rstrip(" ")
        if not before or before.endswith(("。", "!", "！", "?", "？", "\n", ")")):
            return True
        last = max((n.end for n in self.stack), default=0)
        between = self.text[last : node.start]
        return len(between) <= 40 and not _TITLE_END.search(between) and "、" not in between

    def _accept_article(self, node: Node) -> bool:
        # 第N条 numbers run on across chapters; an excerpt may start at any article.
        prev = self._last_article
        if prev is not None and node.value[0] != prev.value[0] + 1:
            return False
        if prev is None and node.value[0] != 1 and not self._at_line_start(node):
            return False
        self._last_article = node
        self._push(node, self._open("chapter"))
        return True

    def _accept_annex(self, node: Node) -> bool:
        prev = self._last_child(None, ("annex",))
        if prev is not None and not self._follows(prev, node):
            return False
        self._push(node, None)
        return True

    def _accept_annexsub(self, node: Node) -> bool:
        letter = node.printed[0]
        annex = self._open("annex")
        if annex is None or annex.printed != letter:
            annex = next((n for n in self.roots if n.kind == "annex" and n.printed == letter), None)
        if len(node.value) == 2:
            parent = next((n for n in reversed(self.stack) if n.kind == "annexsub" and n.value == node.value[:1]), None)
            if parent is None:
                return False
        elif annex is None:  # A.1 without 附录A: an annex of its own at the top, opened by its first section
            if node.value != (1,):
                return False
            annex = Node("annex", letter, (ord(letter) - 64,), node.start, node.start, key=letter)
            self._push(annex, None)
            parent = annex
        else:
            parent = annex
        if not self._follows(self._last_child(parent, ("annexsub",)), node):
            return False
        self._push(node, parent)
        return True

    def _at_line_start(self, node: Node) -> bool:
        before = self.text[: node.start].rstrip(" \t\u3000")
        return not before or before.endswith("\n")

    def _accept_cn(self, node: Node) -> bool:
        if not self._starts_fresh(node):
            return False
        parent = self._open("chapter")
        prev = next((n for n in reversed(parent.children if parent else self.roots) if n.kind == "cn" or n.alias), None)
        if node.value[0] != _ordinal(prev) + 1:
            return False
        self._push(node, parent)
        return True

    def _accept_paren(self, node: Node) -> bool:
        if not self._starts_fresh(node):
            return False
        parent = self._open("cn") or self._open("chapter")
        if not self._follows(self._last_child(parent, ("paren",)), node):
            return False
        self._push(node, parent)
        return True

    def _accept_item(self, node: Node) -> bool:
        if not self._starts_fresh(node):
            return False
        parent = self._open("paren") or (self._open("cn") if node.line else None)
        if parent is None or not self._follows(self._last_child(parent, ("item",)), node):
            return False
        self._push(node, parent)
        return True

    def _accept_dotted(self, node: Node) -> bool:
        if len(node.value) == 3:
            return self._accept_third_level(node)
        a, b = node.value
        chapter = self._open("chapter")
        section = chapter.children[-1] if chapter and chapter.children else None
        if (
            section is not None
            and section.kind == "cn"
            and (chapter is None or a == chapter.value[0])
            and self._is_alias(section, node)
        ):
            section.alias, section.kind = section.printed, "dotted"
            section.printed, section.value, section.end = node.printed, node.value, node.end
            return True
        # N.N continuing the chapter: 1.1 (first) or the next after the last N.N.
        if (
            chapter
            and a == chapter.value[0]
            and (
                (section is None and b == 1)
                or (section is not None and section.kind == "dotted" and section.value == (a, b - 1))
            )
        ):
            self._push(node, chapter)
            return True
        # N.N restarting under the current section: under 二、 it is 2.1, 2.2; under 6.1 it is 1.1, 1.2.
        if section is not None:
            prev = self._last_child(section, ("dotted",))
            expected = (a, 1) if prev is None else (prev.value[0], prev.value[1] + 1)
            if node.value == expected and a in (_ordinal(section), 1):
                self._push(node, section)
                return True
        if chapter is None:  # N.N without chapters: they follow each other at the top
            prev = self._last_child(None, ("dotted",))
            if (prev is None and not self.roots and b == 1) or (
                prev is not None and node.value in ((prev.value[0], prev.value[1] + 1), (prev.value[0] + 1, 1))
            ):
                self._push(node, None)
                return True
        return False

    def _accept_third_level(self, node: Node) -> bool:
        prefix = node.value[:2]
        parent = next((n for n in reversed(self.stack) if n.kind == "dotted" and n.value == prefix), None)
        if parent is None:
            return False
        prev = self._last_child(parent, ("dotted",))
        last = prev.value[-1] if prev else 0
        if node.value[-1] not in (last, last + 1) or (prev is None and node.value[-1] != 1):
            return False
        self._push(node, parent)
        return True

    def _is_alias(self, section: Node, node: Node) -> bool:
        between = self.text[section.end : node.start].strip()
        if section.children or not between or _TITLE_END.search(between) or len(between) > 40:
            return False
        title, _ = split_title(self.text[node.end : node.end + 80])
        return title == between


_TITLE_END = re.compile(r"[。,，;；:：]")


def _ordinal(node: Node | None) -> int:
    """The 一、 ordinal of a section (0 for none): its own, or the one printed before its N.N."""
    if node is None:
        return 0
    if node.alias:
        return cn_to_int(node.alias) or 0
    return node.value[0] if node.kind == "cn" else 0


def flatten(nodes: list[Node]):
    """Every node depth-first in document order."""
    for node in nodes:
        yield node
        yield from flatten(node.children)


def build_tree(text: str, candidates: list[Node]) -> tuple[_Builder, list[int]]:
    """Build a tree from fresh copies of the candidates; return it and the indexes accepted."""
    builder = _Builder(text)
    accepted = [i for i, node in enumerate(candidates) if builder.accept(replace(node, children=[]))]
    return builder, accepted
