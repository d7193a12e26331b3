"""The change-log page: what changed between tagged versions, from the semantic diff (`servicekb diff`).

Versions are git tags, oldest first. Each pair of neighbouring tags gets a
section with the number of changes per kind and one row per change (its
subject and where it is). A repository without tags has no versions to
compare, and the page says so instead of inventing any.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections import Counter
from pathlib import Path

from servicekb.book.markdown import escape_text, make_table

__all__ = ["describe_change_kind", "list_tags", "render_changelog"]

_AREA = {
    "target": "目标",
    "clause": "条款",
    "metric": "指标",
    "citation": "引用",
    "profile": "门店配置",
    "store": "门店",
    "schema": "模式",
    "link": "链接",
    "section": "章节",
    "standard": "标准",
}
_VERB = {
    "added": "新增",
    "removed": "删除",
    "dropped": "删除",
    "edited": "修改",
    "moved": "移动",
    "renumbered": "重新编号",
    "reworded": "改写",
    "tightened": "收紧",
    "loosened": "放宽",
    "rescoped": "改变适用范围",
    "restated": "改写表述",
    "undecidable": "无法判断松紧",
    "unit-changed": "改变单位",
    "status-changed": "状态变化",
    "kind-changed": "类型变化",
    "modality-changed": "措辞强度变化",
    "citations-changed": "引用变化",
    "references-changed": "参照变化",
    "renamed": "改名",
    "definition-changed": "定义变化",
    "direction-changed": "方向变化",
    "retitled": "改标题",
    "adopts-changed": "采用标准变化",
    "selection-changed": "条款选择变化",
    "clauses-changed": "条款变化",
    "suspect": "待复核",
    "reviewed": "已复核",
    "unloadable": "无法读取",
    "field-added": "新增字段",
    "field-removed": "删除字段",
    "field-required": "字段改为必填",
    "field-optional": "字段改为可选",
    "type-changed": "类型变化",
    "type-narrowed": "类型收窄",
    "type-widened": "类型放宽",
    "enum-added": "新增取值",
    "enum-removed": "删除取值",
    "closed": "不再接受未知字段",
    "opened": "接受未知字段",
    "bound-loosened": "取值范围放宽",
    "bound-tightened": "取值范围收紧",
    "default-changed": "默认值变化",
    "format-changed": "格式变化",
    "pattern-changed": "格式规则变化",
    "pattern-removed": "删除格式规则",
}


def describe_change_kind(kind: str) -> str:
    """A change kind in Chinese: `target-tightened` -> `目标收紧`; an unknown kind keeps its id."""
    area, _, verb = kind.partition("-")
    if area in _AREA and verb in _VERB:
        return _AREA[area] + _VERB[verb]
    return kind


def list_tags(root: Path) -> list[str]:
    """The repository's tags, oldest first; empty when there are none or `root` is not a git work tree."""
    try:
        proc = subprocess.run(
            ["git", "tag", "--list", "--sort=creatordate"], cwd=root, capture_output=True, text=True, check=False
        )
    except OSError:
        return []
    return [t for t in proc.stdout.split() if t] if proc.returncode == 0 else []


def _pair(root: Path, older: str, newer: str, as_of: dt.date) -> list[str]:
    from servicekb.review import diff_revisions, open_revision

    try:
        a, b = open_revision(root, older), open_revision(root, newer)
    except Exception as exc:  # noqa: BLE001 - a tag that cannot be read is reported on the page, never a traceback
        return [f"无法读取这两个版本：{escape_text(type(exc).__name__)}。", ""]
    result = diff_revisions(a, b, as_of)
    if not result.changes:
        return ["两个版本之间标准、门店配置和模式都没有变化。", ""]
    counts = Counter(describe_change_kind(c.kind) for c in result.changes)
    out = [
        make_table(
            ["变化", "数量"],
            [[escape_text(k), str(n)] for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
        ),
        "",
    ]
    rows = [
        [escape_text(describe_change_kind(c.kind)), escape_text(c.subject), escape_text(c.location or "—")]
        for c in result.changes
    ]
    out += [make_table(["变化", "对象", "位置"], rows), ""]
    return out


def render_changelog(root: Path | None, as_of: dt.date) -> str:
    """The change-log page between neighbouring tags of the repository at `root`."""
    out = [
        "# 变更记录 Change log",
        "",
        "每两个相邻的版本（git 标签）之间，标准、目标、指标、引用、门店配置和模式的语义变化，"
        "由 `servicekb diff` 计算。",
        "",
    ]
    tags = list_tags(root) if root is not None else []
    if len(tags) < 2:
        have = f"目前只有一个标签（{escape_text(tags[0])}）" if tags else "目前还没有任何标签"
        out += [
            f"本仓库{have}，没有两个版本可以比较，所以这里还没有变更记录。"
            "发布一个版本时打上标签（如 `git tag v1.0`），下一次构建就会在这里列出相邻版本之间的变化。",
            "",
        ]
        return "\n".join(out).rstrip() + "\n"
    for older, newer in reversed(list(zip(tags, tags[1:], strict=False))):
        out += [f"## {escape_text(older)} → {escape_text(newer)}", ""]
        out += _pair(root, older, newer, as_of)
    return "\n".join(out).rstrip() + "\n"
