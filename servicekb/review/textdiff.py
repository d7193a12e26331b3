"""A short character-level diff of two Chinese texts, in the `[-deleted-]{+inserted+}` notation of
`git diff --word-diff`.

Chinese has no spaces between words, so a word diff would show the whole
sentence as changed; characters are the unit. Unchanged stretches are cut
to a few characters of context on each side.
"""

from __future__ import annotations

from difflib import SequenceMatcher

__all__ = ["char_diff"]

ELLIPSIS = "…"


def _keep(text: str, context: int, first: bool, last: bool) -> str:
    """An unchanged stretch, cut to `context` characters next to each change."""
    if first and last:
        return text
    if first:
        return text if len(text) <= context else ELLIPSIS + text[-context:]
    if last:
        return text if len(text) <= context else text[:context] + ELLIPSIS
    return text if len(text) <= 2 * context + 1 else text[:context] + ELLIPSIS + text[-context:]


def char_diff(old: str, new: str, context: int = 6, limit: int = 200) -> str:
    """`投诉应在[-72-]{+48+}小时内解决。`: the changes with `context` characters around, at most `limit` characters."""
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    parts = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            parts.append(_keep(old[i1:i2], context, n == 0, n == len(ops) - 1))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"[-{old[i1:i2]}-]")
        if tag in ("insert", "replace"):
            parts.append(f"{{+{new[j1:j2]}+}}")
    text = "".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
