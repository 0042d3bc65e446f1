"""The brief as a PDF (its HTML printed to A4) and as a screenshot, by headless Chromium.

The page carries its own print style sheet (A4, one section a page, figures and tables
kept whole), so the PDF is what a reader gets by printing the HTML from a browser.
Chromium runs without network, sync, extensions' updates or a first-run screen.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sim.errors import ZonesimError
from sim.experiments.fileio import atomic_write

#: Executable names tried, in order, when no browser is given.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Flags of the headless print (besides the profile folder and the output).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
)

#: Seconds Chromium may take to print one brief.
TIMEOUT = 180


class ChromiumNotFoundError(ZonesimError, FileNotFoundError):
    """No Chromium (or Chrome) executable was found."""


class PdfError(ZonesimError, OSError):
    """Chromium failed to print the page."""


def find_chromium() -> str:
    """The path of a Chromium or Chrome executable.

    Raises:
        ChromiumNotFoundError: If none of :data:`CHROMIUM_NAMES` is on the ``PATH``.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumNotFoundError(
        "chromium: expected Chromium or Chrome on the PATH to write the PDF "
        "(e.g. apt-get install chromium), found none"
    )


def write_pdf(page: str | Path, pdf: str | Path, *, chromium: str | None = None) -> Path:
    """Print an HTML page to a PDF with headless Chromium (atomically).

    Args:
        page: The brief's HTML file.
        pdf: The PDF to write.
        chromium: The browser executable (default: :func:`find_chromium`).

    Returns:
        The PDF's path.

    Raises:
        ChromiumNotFoundError: If no browser is found.
        PdfError: If the browser fails or writes no PDF.
    """
    return _render(page, pdf, "--print-to-pdf", (), chromium)


def write_screenshot(
    page: str | Path,
    png: str | Path,
    *,
    size: tuple[int, int] = (1100, 1400),
    chromium: str | None = None,
) -> Path:
    """Save a PNG of the first ``size`` pixels (width, height) of an HTML page.

    Raises:
        ChromiumNotFoundError: If no browser is found.
        PdfError: If the browser fails or writes no image.
    """
    flags = (f"--window-size={size[0]},{size[1]}", "--hide-scrollbars")
    return _render(page, png, "--screenshot", flags, chromium)


def _render(
    page: str | Path, out: str | Path, flag: str, extra: tuple[str, ...], chromium: str | None
) -> Path:
    browser = chromium or find_chromium()
    page, out = Path(page).resolve(), Path(out)

    def render(tmp: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="brief-chromium-") as profile:
            command = [
                browser,
                *CHROMIUM_FLAGS,
                *extra,
                f"--user-data-dir={profile}",
                f"{flag}={tmp}",
                page.as_uri(),
            ]
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=TIMEOUT, check=False
                )
            except subprocess.TimeoutExpired:
                raise PdfError(
                    f"{out}: expected Chromium to render {page} within {TIMEOUT} s, it did not"
                ) from None
        if done.returncode != 0 or tmp.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise PdfError(
                f"{out}: expected Chromium to render {page}, it failed "
                f"(exit status {done.returncode}): {last}"
            )

    out.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(out, render)
