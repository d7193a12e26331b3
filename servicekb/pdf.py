"""Printing an HTML page to PDF with Debian's Chromium in headless mode (A4, the page's own @page rules)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from servicekb.atomic import write_file_atomic

__all__ = ["HEADLESS_FLAGS", "PdfError", "find_browser", "print_pdf"]

_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
# How every print runs Chromium: headless, no sandbox (CI runs as root), nothing fetched or synced on the side.
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


class PdfError(RuntimeError):
    """No browser to print with, or the print failed."""


def find_browser() -> str | None:
    """The Chromium to print with, or None."""
    for name in _CANDIDATES:
        found = name if Path(name).is_file() else shutil.which(name)
        if found:
            return found
    return None


def print_pdf(page: str, path: Path, browser: str | None = None, timeout: float = 120.0) -> None:
    """Write `page` (HTML) as a PDF at `path`, atomically.

    Raises:
        PdfError: no Chromium is installed, or it did not produce a PDF.
    """
    exe = browser or find_browser()
    if exe is None:
        raise PdfError("no Chromium found (apt-get install chromium fonts-noto-cjk)")
    with tempfile.TemporaryDirectory(prefix="servicekb-pdf-") as scratch:
        source = Path(scratch) / "page.html"
        source.write_text(page, encoding="utf-8")
        out = Path(scratch) / "page.pdf"
        cmd = [exe, *HEADLESS_FLAGS, f"--user-data-dir={scratch}/profile", f"--print-to-pdf={out}", source.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"{exe} could not print: {exc}") from None
        if not out.is_file() or out.stat().st_size == 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
            raise PdfError(f"{exe} printed no PDF: {tail[0]}")
        write_file_atomic(path, lambda tmp: shutil.copyfile(out, tmp))
