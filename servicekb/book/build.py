"""Writing `book/generated/` and running the strict Jupyter Book build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BuildResult", "build_book", "write_pages"]


def write_pages(pages: dict[str, str], folder: Path) -> list[str]:
    """Make `folder` hold exactly `pages` (atomic writes; stale pages removed); return paths changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for rel, body in sorted(pages.items()):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.read_text(encoding="utf-8") == body:
            continue
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".page-")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(body)
        os.replace(tmp, target)
        changed.append(rel)
    for path in sorted(folder.rglob("*.md")):
        rel = path.relative_to(folder).as_posix()
        if rel not in pages:
            path.unlink()
            changed.append(rel)
    return changed


@dataclass
class BuildResult:
    """Outcome of a book build: exit code, the index page, and the build log."""

    returncode: int
    index: Path
    log: str


def build_book(root: Path, *, all_files: bool = False) -> BuildResult:
    """Run `jupyter-book build . -W -n --keep-going` in `root` (warnings are errors)."""
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe) if exe.exists() else (shutil.which("jupyter-book") or "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]
    if all_files:
        cmd.append("--all")
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    return BuildResult(proc.returncode, root / "_build" / "html" / "index.html", proc.stdout + proc.stderr)
