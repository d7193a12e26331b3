"""Writing a text file atomically: readers see the old file or the new one, never half of either.

Every file servicekb writes for a user (ingest drafts, schemas, review
stamps, handbook pages) goes through `write_text_atomic`: a temporary file
in the same folder, flushed to disk, given the permissions the file had (or
the umask's default, not mkstemp's private 0600), then `os.replace`d over
the target. On failure the temporary file is removed and the old file stays.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_file_atomic", "write_text_atomic"]


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, `\\n` line ends) in one step."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_file_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Replace `path` with what `write(tmp)` writes to a temporary path beside it (workbooks, PDFs), in one step."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask
    try:
        write(Path(tmp))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
