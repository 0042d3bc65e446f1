"""Where a batch's runs came from: the time, the git tree, the Python and package versions."""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import sim

#: Packages whose versions go into the manifest.
PACKAGES = ("numpy", "pandas", "pyarrow", "scipy", "mesa", "dask", "distributed", "tqdm")


def now() -> str:
    """The current time in UTC, to the second (ISO 8601)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def git_state() -> dict[str, Any]:
    """Commit and dirtiness of the project's git tree (``None`` if not a git tree)."""
    root = Path(sim.__file__).resolve().parent.parent

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(root), *args],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain")
    return {
        "commit": commit.strip() if commit else None,
        "dirty": None if status is None else bool(status.strip()),
    }


def versions() -> dict[str, str | None]:
    """Python's version, the project's and those of :data:`PACKAGES` (``None`` if absent)."""
    out: dict[str, str | None] = {"python": platform.python_version(), "sim": sim.__version__}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out
