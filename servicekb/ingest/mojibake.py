"""Decode the scraping site's mojibake where the bytes allow it; mark the rest `〔乱码〕`.

How the runs were produced (worked out on the seeds, every decoded run checks):
the traditional text was handled as GBK bytes by a tool that was not aware of
character boundaries, then decoded again. Where it went wrong the decoder lost
one lead byte, printed `?` for it, and read the following bytes one byte off
(`trail_i, lead_i+1`) until a trail byte in the ASCII range (`}`, `Y`, `E`...)
put it back in step. The site prints every fullwidth form (GBK A3A1-A3FE)
as ASCII, so inside a shifted run an ASCII character may stand for A3xx
(`?` for ？ = A3 BF, `0` for ０ = A3 B0), and `€` is the byte 0x80. Examples:

    確??蛻魡栴}得到  = 確 [?: lost B1] [?: A3 BF] [蛻: CD 91] [魡: F4 86] [栴: 96 EE] [}: 7D]
                     = 確 (?? A3) (BF CD) (91 F4) (86 96) (EE 7D) = 確〔乱码〕客戶問題得到
    或?yàn)E用        = 或 [? + swallowed "(": lost lead] yàn) [E: trail 45] = 或〔乱码〕用
    管理響?yīng)與    = ... (ED 91)(91 ?? lost with the "(" of its annotation) yīng) ...

So a run is decoded by re-encoding the garbled characters as Windows GBK
(GB18030, with cp936's own table for the private-use code points GB18030-2005
moved) and pairing the bytes with a one-byte shift. The lost lead byte is
gone: the character it began is marked, never guessed; so is a character
whose trail byte went with the `(` of an annotation. The dangling annotation
is kept as a hint for the curator but never picks a character: it may be the
reading of the lost character (`響?yīng)` is 應) or of a character the
annotating tool saw across a character boundary (`或?yàn)E` is 濫, the `yàn`
belongs to 驗 = F2 9E), and without a complete reading table of GBK a
reading does not prove one character anyway.

A `?` is a real question mark after a question particle, before a closing
quote or a space, or inside ASCII text; any other `?` starts a damaged run.
Of the consistent readings of a run, the one leaving the fewest rare
characters wins, then the one recovering most characters, then the shortest.
"""

from __future__ import annotations

from dataclasses import dataclass

from servicekb.ingest.chars import is_rare_char
from servicekb.ingest.pinyin import DANGLING_PINYIN

__all__ = ["MARKER", "MojibakeRun", "find_mojibake", "repair_mojibake"]

MARKER = "〔乱码〕"
# Windows GBK (cp936) maps these byte ranges, in this order, to U+E766..U+E864;
# Python's gb18030 (2005) gives some of them other code points, so they are
# re-encoded from this table.
_CP936_PUA_RANGES = (
    (0xA2AB, 0xA2B0),
    (0xA2E3, 0xA2E4),
    (0xA2EF, 0xA2F0),
    (0xA2FD, 0xA2FE),
    (0xA4F4, 0xA4FE),
    (0xA5F7, 0xA5FE),
    (0xA6B9, 0xA6C0),
    (0xA6D9, 0xA6DF),
    (0xA6EC, 0xA6ED),
    (0xA6F3, 0xA6F3),
    (0xA6F6, 0xA6FE),
    (0xA7C2, 0xA7D0),
    (0xA7F2, 0xA7FE),
    (0xA896, 0xA8A0),
    (0xA8BC, 0xA8BC),
    (0xA8BF, 0xA8BF),
    (0xA8C1, 0xA8C4),
    (0xA8EA, 0xA8FE),
    (0xA958, 0xA958),
    (0xA95B, 0xA95B),
    (0xA95D, 0xA95F),
    (0xA989, 0xA995),
    (0xA997, 0xA9A3),
    (0xA9F0, 0xA9FE),
    (0xD7FA, 0xD7FE),
    (0xFE50, 0xFEA0),
)


def _cp936_pua_table() -> dict[str, bytes]:
    table: dict[str, bytes] = {}
    code = 0xE766
    for first, last in _CP936_PUA_RANGES:
        for gbk in range(first, last + 1):
            if gbk & 0xFF == 0x7F:  # never a trail byte
                continue
            table[chr(code)] = gbk.to_bytes(2, "big")
            code += 1
    return table


_PUA_BYTES = _cp936_pua_table()
_MAX_READINGS = 64
_CLOSERS = frozenset("”’\"')）」』】")
_QUESTION_PARTICLES = frozenset("吗呢吧么嗎麼啊呀嘛")


@dataclass(frozen=True)
class MojibakeRun:
    """One damaged stretch of text and what replaces it."""

    start: int
    end: int
    garbled: str
    replacement: str
    hints: tuple[str, ...] = ()

    @property
    def lost(self) -> int:
        """How many markers the replacement holds (stretches of lost characters)."""
        return self.replacement.count(MARKER)

    @property
    def decoded(self) -> str:
        """The characters recovered from the run."""
        return self.replacement.replace(MARKER, "")


def _char_bytes(ch: str) -> bytes | None:
    if ch in _PUA_BYTES:
        return _PUA_BYTES[ch]
    try:
        encoded = ch.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return encoded if len(encoded) <= 2 else None


def _pair(lead: int, trail: int) -> str | None:
    """The character of a GBK byte pair, if it is text (CJK or CJK punctuation)."""
    try:
        ch = bytes((lead, trail)).decode("gb18030")
    except UnicodeDecodeError:
        return None
    if len(ch) != 1:
        return None
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # printed as ASCII, like every fullwidth form the site shows
        return chr(code - 0xFEE0)
    if 0x3400 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F or 0x2010 <= code <= 0x2027:
        return ch
    return None


def _shifted(text: str, j: int, pending: int | None, pieces: tuple[str, ...], hints: tuple[str, ...]):
    """Yield (pieces, end, hints) for each consistent one-byte-off reading from text[j].

    `pending` is the lead byte waiting for its trail, or None when the next
    byte is the trail of a character whose lead byte was lost.
    """
    while j < len(text):
        ch = text[j]
        if ch == "?":
            dangling = DANGLING_PINYIN.match(text, j + 1)
            if dangling:  # the pending character's trail went with its annotation's "("
                yield pieces + (MARKER,), dangling.end(), hints + (dangling.group(0)[:-1],)
                return
            # Either the run ends here (the pending character lost with the byte after it)...
            yield pieces + (MARKER,), j + 1, hints
            # ...or this is ？ (A3 BF) read one byte off: go on below.
        if ch == "€":  # byte 0x80, a one-byte character for the site: back in step after it
            piece = MARKER if pending is None else _pair(pending, 0x80)
            if piece is not None:
                yield pieces + (piece,), j + 1, hints
            return
        if ch.isascii():
            code = ord(ch)
            if 0x40 <= code <= 0x7E:  # a trail byte read as ASCII puts the decoder back in step...
                piece = MARKER if pending is None else _pair(pending, code)
                if piece is not None:
                    yield pieces + (piece,), j + 1, hints
            if not 0x21 <= code <= 0x7E:
                return
            # ...or the site's ASCII for a fullwidth form A3xx read one byte off: go on.
            pair = (0xA3, code + 0x80)
        else:
            encoded = _char_bytes(ch)
            if encoded is None or len(encoded) != 2:
                return
            pair = (encoded[0], encoded[1])
        piece = MARKER if pending is None else _pair(pending, pair[0])
        if piece is None:
            return
        pieces = pieces + (piece,)
        pending = pair[1]
        j += 1


def _rare(text: str) -> int:
    return sum(1 for ch in text if is_rare_char(ch))


def _is_question_mark(text: str, i: int) -> bool:
    """A real `?`: after a question particle, before a closing quote or a space, or inside ASCII (URLs)."""
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    prev = text[i - 1] if i > 0 else "\n"
    if nxt == "?":
        return False
    if nxt in _CLOSERS or nxt.isspace() or prev in _QUESTION_PARTICLES:
        return True
    return prev.isascii() and prev.isalnum() and nxt.isascii()


def _best_reading(text: str, i: int):
    """The most plausible reading of the damaged run starting at the `?` at text[i]."""
    start = i + 1
    hints: tuple[str, ...] = ()
    dangling = DANGLING_PINYIN.match(text, start)
    readings = []
    if dangling:
        # The annotation was inserted inside a character: what follows is its trail.
        hints = (dangling.group(0)[:-1],)
        start = dangling.end()
    else:
        readings.append(((MARKER,), i + 1, ()))  # only the `?` is lost
    for reading in _shifted(text, start, None, (), hints):
        readings.append(reading)
        if len(readings) >= _MAX_READINGS:
            break
    if len(readings) == 0:
        return (MARKER,), start, hints
    horizon = max(end for _, end, _ in readings)

    def score(reading):
        # Fewest rare characters over the same stretch, then the reading that
        # recovers most characters, then the shortest (never swallow more than needed).
        pieces, end, _ = reading
        decoded = sum(1 for piece in pieces if piece != MARKER)
        return (_rare("".join(pieces)) + _rare(text[end:horizon]), -decoded, end)

    return min(readings, key=score)


def _merge_markers(pieces: tuple[str, ...]) -> str:
    out: list[str] = []
    for piece in pieces:
        if piece == MARKER and out and out[-1] == MARKER:
            continue
        out.append(piece)
    return "".join(out)


def find_mojibake(text: str) -> list[MojibakeRun]:
    """Find every damaged run in (boilerplate-free, still traditional) text, in order."""
    runs: list[MojibakeRun] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if 0xE000 <= ord(ch) <= 0xF8FF:  # a private-use code point outside a run
            runs.append(MojibakeRun(i, i + 1, ch, MARKER))
            i += 1
            continue
        after_run = bool(runs) and runs[-1].end == i
        if ch != "?" or (not after_run and _is_question_mark(text, i)):
            i += 1
            continue
        pieces, end, hints = _best_reading(text, i)
        runs.append(MojibakeRun(i, end, text[i:end], _merge_markers(pieces), hints))
        i = end
    return _merge_adjacent(runs)


def _merge_adjacent(runs: list[MojibakeRun]) -> list[MojibakeRun]:
    merged: list[MojibakeRun] = []
    for run in runs:
        if merged and merged[-1].end == run.start:
            prev = merged.pop()
            replacement = prev.replacement + run.replacement
            while MARKER + MARKER in replacement:
                replacement = replacement.replace(MARKER + MARKER, MARKER)
            run = MojibakeRun(prev.start, run.end, prev.garbled + run.garbled, replacement, prev.hints + run.hints)
        merged.append(run)
    return merged


def repair_mojibake(text: str) -> str:
    """Replace every damaged run by its decoding, lost characters by `〔乱码〕`."""
    out: list[str] = []
    pos = 0
    for run in find_mojibake(text):
        out.append(text[pos : run.start])
        out.append(run.replacement)
        pos = run.end
    out.append(text[pos:])
    return "".join(out)
