"""Bytes of a raw document to text: UTF-8 first, then the encodings Chinese documents come in.

UTF-8 (with or without BOM) and UTF-16 with a BOM are read directly;
otherwise charset-normalizer chooses among UTF-16 (no BOM), GB18030 (a
superset of GBK and GB2312) and Big5. What cannot be read as text (empty,
binary, larger than `MAX_BYTES`, no candidate encoding) is a `DecodeError`
with a stable code and a message naming what was found; never an exception
from deep inside.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

__all__ = ["MAX_BYTES", "DecodeError", "Decoded", "decode_document"]

MAX_BYTES = 8 * 1024 * 1024  # a standard is far smaller; beyond this ingest refuses rather than crawls
_CANDIDATES = ["utf_16", "utf_16_le", "utf_16_be", "gb18030", "big5"]
_NAMES = {
    "utf_8": "UTF-8",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16LE",
    "utf_16_be": "UTF-16BE",
    "gb18030": "GB18030/GBK",
    "big5": "Big5",
}


@dataclass(frozen=True)
class Decoded:
    """The text and the encoding it was read in (as people name it: UTF-8, GB18030/GBK, Big5 …)."""

    text: str
    encoding: str


class DecodeError(ValueError):
    """Raw bytes that are not a text document; `code` is stable kebab-case."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def decode_document(data: bytes) -> Decoded:
    """Decode a raw document, or raise `DecodeError` (empty, too-large, binary, unknown-encoding)."""
    if not data.strip():
        raise DecodeError("empty", "the file is empty")
    if len(data) > MAX_BYTES:
        raise DecodeError(
            "too-large",
            f"{len(data) / 1024 / 1024:.1f} MB is more than the {MAX_BYTES // 1024 // 1024} MB ingest reads; "
            "split the document",
        )
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf_8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf_16")
    try:
        text = data.decode("utf-8")
        if not _looks_binary(data):
            return Decoded(text, _NAMES["utf_8"])
        utf8_error = 0
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 2 * 1024 * 1024], cp_isolation=_CANDIDATES).best()
    if best is None or best.encoding not in _NAMES:
        fallback = _common_chinese(data)
        if fallback is not None:
            return fallback
        if _looks_binary(data):
            raise DecodeError("binary", "a binary file, not a text document")
        raise DecodeError(
            "unknown-encoding",
            f"not UTF-8 (invalid byte at offset {utf8_error}), and not UTF-16, GB18030/GBK or Big5 either",
        )
    decoded = _strict(data, best.encoding)
    if _looks_binary(decoded.text.encode("utf-8")):
        raise DecodeError("binary", "a binary file, not a text document")
    return decoded


def _common_chinese(data: bytes) -> Decoded | None:
    """GB18030 or Big5, whichever decodes strictly into everyday Chinese characters (charset-normalizer
    gives up on short texts full of full-width digits and symbols)."""
    from servicekb.ingest.chars import is_rare_char

    best: tuple[float, Decoded] | None = None
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
        if not cjk or _looks_binary(text.encode("utf-8")):
            continue
        share = sum(1 for ch in cjk if not is_rare_char(ch)) / len(cjk)
        if share >= 0.8 and (best is None or share > best[0]):
            best = (share, Decoded(text, _NAMES[encoding]))
    return best[1] if best else None


def _strict(data: bytes, encoding: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), _NAMES[encoding])
    except UnicodeDecodeError as exc:
        raise DecodeError(
            "bad-encoding", f"looks like {_NAMES[encoding]} but byte {exc.start} is not valid {_NAMES[encoding]}"
        ) from None
