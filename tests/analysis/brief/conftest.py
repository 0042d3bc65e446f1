"""Fixtures of the brief tests: one real batch and its briefs, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis import brief, plotting

from .helpers import make_batch


@pytest.fixture(scope="session")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_batch(tmp_path_factory.mktemp("brief"))


@pytest.fixture(scope="session")
def briefs(batch: Path) -> dict[str, brief.Brief]:
    return {lang: brief.build_brief([batch], lang=lang) for lang in plotting.LANGS}
