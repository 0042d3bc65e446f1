from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import sim


@pytest.fixture
def copy_package() -> Callable[[Path], Path]:
    """Copy the ``sim`` package into a folder (importable with that folder on the path)."""

    def copy(folder: Path) -> Path:
        target = folder / "sim"
        shutil.copytree(
            Path(sim.__file__).parent, target, ignore=shutil.ignore_patterns("__pycache__")
        )
        return target

    return copy
