"""Split cleaned text into its table of contents and a tree of numbered sections.

Numbering styles found in the seeds: 第N章 / 第一章, N.N, N.N.N, 一、, (一), 1.
A number counts as a heading only where it continues the numbering in force
(1.2 after 1.1, 二、 after 一、, 1.1 restarting under 一、), so statistics such
as 87.6分 or 12.3万次 are never headings. A leading run of headings without
body text whose chapters restart afterwards is the table of contents. The
section keys used in clause ids keep the printed numbers: `1.2.1`, `2.一.1.1`
(1.1 restarting under chapter 2's 一、), `一.(二).3`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from servicekb.ingest.numbering import Node, build_tree, cn_to_int, find_candidates, flatten
from servicekb.ingest.titles import _OPENERS, document_title, split_title
from servicekb.quantities import find_quantities

__all__ = ["Node", "Outline", "TocEntry", "cn_to_int", "parse_outline"]

_FINAL = tuple("。!！?？”」)）")
_TITLE_END = re.compile(r"[。,，;；:：]")
_SENTENCE_LIKE = re.compile(r"[。,，;；!！?？]")


def _NOT_A_TITLE(title: str, body: str) -> bool:  # noqa: N802 - reads as the condition it is
    cut_number = bool(re.search(r"[\d.一二三四五六七八九十两]$", title) and re.match(r"[\d.%个小天日分]", body))
    return bool(find_quantities(title) or _MODAL_IN_TITLE.search(title) or cut_number or title.startswith(_OPENERS))


_MODAL_IN_TITLE = re.compile(r"应当|(?<![响反适对相供效呼])应(?![用急对变答])|必须|(?<![必无])须|不得")
_LINE_END = re.compile(r"[。;；!！?？]\s*$")


@dataclass(frozen=True)
class TocEntry:
    """One line of the table of contents: key, title and the chapter it belongs to."""

    key: str
    title: str
    chapter: str


@dataclass
class Outline:
    """The document's title, table of contents and section tree."""

    title: str
    toc: list[TocEntry]
    sections: list[Node]
    truncated: bool
    last_words: str
    title_line: str = ""  # the line the title was read from, as printed ("" when the title is not in the text)
    preamble: str = ""  # everything between the title line and the first heading of the body (TOC included)


def _is_toc(text: str, accepted: list[Node], upto: int) -> bool:
    """Whether accepted[:upto] are headings without body text (a table of contents)."""
    for node, nxt in zip(accepted[:upto], accepted[1 : upto + 1], strict=False):
        between = text[node.end : nxt.start].strip()
        if "。" in between or len(between) > 40:
            return False
    return upto >= 2


def _split_toc(text: str, candidates: list[Node]) -> tuple[list[Node], list[Node]]:
    """(toc headings, body candidates): the TOC ends where chapter (or 一、) numbering restarts."""
    _, accepted = build_tree(text, candidates)
    first_top = next((i for i in accepted if candidates[i].kind in ("chapter", "cn")), None)
    if first_top is None:
        return [], candidates
    restart = next(
        (
            i
            for i, n in enumerate(candidates)
            if i > first_top and i not in accepted and n.kind == candidates[first_top].kind and n.value == (1,)
        ),
        None,
    )
    if restart is None:
        return [], candidates
    toc = [candidates[i] for i in accepted if i < restart]
    if not _is_toc(text, toc + [candidates[restart]], len(toc)):
        return [], candidates
    return toc, candidates[restart:]


def _assign_keys(nodes: list[Node], parent: Node | None, seen: set[str]) -> None:
    """Keys for clause ids: the printed number, extended from the parent's key where it restarts."""
    for node in nodes:
        if parent is None or node.kind in ("chapter", "article", "annex", "annexsub"):
            key = node.printed
        elif (
            node.kind == "dotted"
            and parent.kind in ("chapter", "dotted")
            and node.printed.startswith(parent.printed + ".")
        ):
            key = parent.key + node.printed[len(parent.printed) :]
        else:
            key = f"{parent.key}.{node.printed}"
        base, n = key, 2
        while key in seen:  # a number printed twice (4.3.2 in seed 000) gets a suffix
            key, n = f"{base}-{n}", n + 1
        seen.add(key)
        node.key = key
        _assign_keys(node.children, node, seen)


def parse_outline(text: str) -> Outline:
    """Parse cleaned text into title, table of contents and section tree."""
    paren_style = bool(re.search(r"[(（]一[)）]", text) and re.search(r"[(（]二[)）]", text))
    candidates = list(find_candidates(text, paren_style))
    toc_nodes, body_candidates = _split_toc(text, candidates)
    toc: list[TocEntry] = []
    if toc_nodes:
        toc_builder, _ = build_tree(text, toc_nodes)
        _assign_keys(toc_builder.roots, None, set())
        _fill(text, toc_builder.roots, end=body_candidates[0].start if body_candidates else len(text), known={})
        for node in flatten(toc_builder.roots):
            chapter = node.key.split(".")[0]
            toc.append(TocEntry(node.key, node.title, chapter))
    builder, accepted = build_tree(text, body_candidates)
    first = (toc_nodes or [body_candidates[i] for i in accepted] or [None])[0]
    prefix = text[: first.start] if first else text
    title = document_title(prefix)
    title_line = next((ln for ln in prefix.splitlines(keepends=True) if ln.strip()), "") if title else ""
    if title and len(title) > 60 or _TITLE_END.search(title):  # a sentence, not a title: keep it as text
        title, title_line = "", ""
    if not builder.roots and not toc and text.strip():
        # No numbering at all: the whole text is one section of paragraphs, so that nothing is lost;
        # its first line is the title only when it reads like one.
        first_line = text.strip().split("\n", 1)[0]
        title = (
            first_line if len(first_line) <= 60 and not _TITLE_END.search(first_line) and "\n" in text.strip() else ""
        )
        start = text.find(title) + len(title) if title else 0
        title_line = text[:start]
        builder.roots.append(Node("body", "body", (), start, start))
    body_start = min((n.start for n in flatten(builder.roots)), default=len(text))
    preamble_start = len(title_line) if title_line and text.startswith(title_line) else 0
    preamble = text[preamble_start:body_start].strip()
    _assign_keys(builder.roots, None, set())
    _fill(text, builder.roots, end=len(text), known={entry.key: entry.title for entry in toc})
    stripped = text.rstrip()
    body_nodes = list(flatten(builder.roots))
    truncated = not stripped.endswith(_FINAL) or bool(toc and len(toc) > len(body_nodes))
    if truncated and body_nodes:
        max(body_nodes, key=lambda n: n.start).status = "truncated"
    if toc:
        _add_toc_only(builder.roots, toc)
    last_words = stripped[-30:].split("\n")[-1] if stripped else ""
    return Outline(title, toc, builder.roots, truncated, last_words, title_line, preamble)


def _fill(text: str, roots: list[Node], end: int, known: dict[str, str]) -> None:
    """Set every node's title and body; `known` maps section keys to titles from the TOC."""
    nodes = sorted(flatten(roots), key=lambda n: n.start)
    chapter_titles: dict[str, tuple[str, ...]] = {}
    for key, title in known.items():
        chapter_titles.setdefault(key.split(".")[0], ())
        chapter_titles[key.split(".")[0]] += (title,)
    for node, nxt in zip(nodes, nodes[1:] + [None], strict=False):
        segment = text[node.end : nxt.start if nxt else end]
        if node.kind == "cn":  # 一、 under a chapter may be any of the chapter's TOC sections
            hints = chapter_titles.get(node.key.split(".")[0], ())
        else:
            hints = (known[node.key],) if node.key in known else ()
        number = text[node.start : node.end]
        if node.kind == "body":  # the unnumbered whole text
            node.title, node.body, node.heading = "正文", segment.strip(), ""
            continue
        first_line = segment.strip().split("\n", 1)[0]
        spaced = (
            text[node.end - 1 : node.end + 1].strip() != text[node.end - 1 : node.end + 1]
        )  # "1. 报修" not "1.产品"
        at_line_start = not text[: node.start].rstrip(" \t\u3000") or text[: node.start].rstrip(" \t\u3000").endswith(
            "\n"
        )
        lead = re.match(r"([^,，。;；:：!！?？\n]{1,15})[:：]", first_line)
        if (node.kind == "article" or node.line and spaced) and _SENTENCE_LIKE.search(first_line):
            # 第三条 客户投诉应在24小时内响应。 / 1. 报修后2小时内响应。: a clause, not a title
            node.title, node.body = "", segment.strip()
        elif at_line_start and not hints and _LINE_END.search(first_line):
            # （四）保修期外维修收取上门费30元，…。 on its own line: a clause; 退款时限：… keeps 退款时限 as title
            node.title, node.body = (
                (lead.group(1).strip(), segment.strip()[lead.end() - 1 :]) if lead else ("", segment.strip())
            )
        else:
            node.title, node.body = split_title(segment, hints)
            if not re.sub(r"\W", "", node.body.split("\n", 1)[0]) and _SENTENCE_LIKE.search(first_line):
                node.title, node.body = "", segment.strip()  # （一）电话咨询30秒内接听。: the line is a clause
            elif node.title != first_line and not hints and _NOT_A_TITLE(node.title, node.body):
                # （三）一般故障72小时内修复,… / (二)维修完成一般故障应在|72小时内… / (二)根据2024年报告,…:
                # a title never states a quantity, holds a modal verb, cuts a number or opens with 根据…
                node.title, node.body = "", segment.strip()
        colon = re.match(r"[:：]\s*", node.body) if node.title else None
        if colon:  # 上门时限：市区4小时…: the colon closes the heading, the clause starts after it
            node.body = node.body[colon.end() :]
        node.heading = number + node.title + (colon.group(0) if colon else "")
        if not node.title:
            node.title = node.body[:12] or node.printed


def _add_toc_only(roots: list[Node], toc: list[TocEntry]) -> None:
    """Add the TOC's sections that have no body text, as `toc-only`, in TOC order."""
    chapters = {n.key: n for n in roots if n.kind == "chapter"}
    present = {(n.key, n.title) for n in flatten(roots)}
    titles = {n.title for n in flatten(roots)}
    for entry in toc:
        if entry.key == entry.chapter:
            if entry.key not in chapters:
                node = Node(
                    "chapter",
                    entry.key,
                    (int(entry.key),) if entry.key.isdigit() else (0,),
                    0,
                    0,
                    entry.title,
                    key=entry.key,
                    status="toc-only",
                )
                roots.append(node)
                chapters[entry.key] = node
            continue
        if any(k == entry.key for k, _ in present) or entry.title in titles:
            continue
        parent = chapters.get(entry.chapter)
        node = Node("dotted", entry.key, (), 0, 0, entry.title, key=entry.key, status="toc-only")
        (parent.children if parent else roots).append(node)
