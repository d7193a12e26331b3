"""Writing a file atomically: readers see the old file or the new one, never half of either.

Every file servicekb writes for a user (ingest drafts, schemas, review
stamps, handbook pages, scorecards, exports) goes through here: a temporary
file in the same folder, flushed to disk, given the permissions the file had
(or the umask's default, not mkstemp's private 0600), then `os.replace`d
over the target. On failure the temporary file is removed and the old file
stays. A process killed mid-write (SIGKILL, power cut) cannot clean up
after itself: its temporary file carries its process id, and the next
write of the same file removes temporaries whose process is gone.
"""

from __future__ import annotations

import glob
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["remove_stale_temporaries", "write_bytes_atomic", "write_file_atomic", "write_text_atomic"]

# A temporary file without a process id in its name (older servicekb) is stale after this many seconds.
_STALE_AFTER = 600


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files a killed write of `path` left behind; return them."""
    removed = []
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        middle = tmp.name[len(path.name) + 2 : -len(".tmp")]
        pid_text = middle.split(".", 1)[0]
        try:
            stale = (
                not _alive(int(pid_text)) if pid_text.isdigit() else time.time() - tmp.stat().st_mtime > _STALE_AFTER
            )
        except OSError:
            continue
        if stale and pid_text != str(os.getpid()):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step."""
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_file_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Replace `path` with what `write(tmp)` writes to a temporary path beside it (workbooks, PDFs), in one step."""
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
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


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, line ends as given) in one step."""
    write_bytes_atomic(path, text.encode("utf-8"))
