"""Writing `book/generated/` and running the strict Jupyter Book build."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from servicekb.atomic import write_text_atomic

__all__ = ["BuildResult", "build_book", "remove_orphan_html", "write_pages"]


def write_pages(pages: dict[str, str], folder: Path) -> list[str]:
    """Make `folder` hold exactly `pages` (atomic writes; stale pages removed); return paths changed.

    Unchanged pages are not touched, so that Sphinx re-reads only what changed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for rel, body in sorted(pages.items()):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.read_text(encoding="utf-8") == body:
            continue
        write_text_atomic(target, body)
        changed.append(rel)
    for path in sorted(folder.rglob("*.md")):
        rel = path.relative_to(folder).as_posix()
        if rel not in pages:
            path.unlink()
            changed.append(rel)
    return changed


def remove_orphan_html(root: Path, html: Path) -> list[str]:
    """Delete built pages of `book/generated/` whose source page is gone (a deleted store profile); return them.

    Sphinx rebuilds what changed but never removes the output of a deleted
    source, so the page of a deleted profile would stay in the site.
    """
    built = html / "book" / "generated"
    removed = []
    if not built.is_dir():
        return removed
    for page in sorted(built.rglob("*.html")):
        rel = page.relative_to(built).with_suffix(".md")
        if (
            not (root / "book" / "generated" / rel).exists()
            and not (root / "book" / "generated" / rel.with_suffix(".ipynb")).exists()
        ):
            page.unlink()
            removed.append(rel.as_posix())
    return removed


@dataclass
class BuildResult:
    """Outcome of a book build: exit code, the index page, and the build log."""

    returncode: int
    index: Path
    log: str


def _jupyter_book() -> str:
    exe = Path(sys.executable).with_name("jupyter-book")
    return str(exe) if exe.exists() else (shutil.which("jupyter-book") or "jupyter-book")


def _config_with_cache(root: Path, cache: Path, folder: Path) -> Path:
    """A copy of `_config.yml` whose notebook execution cache is `cache`."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    config.setdefault("execute", {})["cache"] = str(cache.resolve())
    path = folder / "_config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_book(
    root: Path, *, all_files: bool = False, output: Path | None = None, cache: Path | None = None
) -> BuildResult:
    """Run `jupyter-book build . -W -n --keep-going` in `root` (warnings are errors).

    Args:
        root: The repository root (holds `_config.yml` and `_toc.yml`).
        all_files: Write every page again (needed after changing `_static/`).
        output: Build into `output/_build/html` instead of `root/_build/html`.
        cache: Notebook execution cache to use (default: the one under the output).

    A failed build forgets what it read, so that the next build reads every
    page again and repeats the warnings instead of passing on stale state.
    """
    cmd = [_jupyter_book(), "build", ".", "-W", "-n", "--keep-going"]
    remove_orphan_html(root, (output or root).resolve() / "_build" / "html")
    if all_files:
        cmd.append("--all")
    base = (output or root).resolve()
    if output is not None:
        cmd += ["--path-output", str(base)]
    with tempfile.TemporaryDirectory(prefix="servicekb-book-") as scratch:
        if cache is not None:
            cmd += ["--config", str(_config_with_cache(root, cache, Path(scratch)))]
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        (base / "_build" / ".doctrees" / "environment.pickle").unlink(missing_ok=True)
    return BuildResult(proc.returncode, base / "_build" / "html" / "index.html", proc.stdout + proc.stderr)
