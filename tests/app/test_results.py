"""An existing batch folder, shown as the brief shows it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from sim.analysis.brief import headline_effects, load_batches
from sim.app import results
from sim.cli import main
from sim.core.lang import LANGS
from sim.experiments.scenarios import shipped_dir


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    files = []
    for name in ("baseline", "no_reform"):
        text = (shipped_dir() / f"{name}.toml").read_text(encoding="utf-8")
        path = folder / f"{name}.toml"
        path.write_text(re.sub(r"(?m)^end = \d+", "end = 2017", text), encoding="utf-8")
        files.append(str(path))
    out = folder / "batch"
    args = ["run", *files, "--reps", "2", "--workers", "1", "--quiet", "--out", str(out)]
    assert main(args) == 0
    return out


def test_a_batch_opens_with_the_brief_numbers(batch: Path) -> None:
    data = results.open_batch(f"  {batch}  ")
    assert data.baseline == "baseline" and data.whatifs == ["no_reform"]
    effects = results.effects_of(data)
    expected = headline_effects(load_batches([batch]))
    assert list(effects) == ["no_reform"]
    assert effects["no_reform"]["mean"].tolist() == expected["mean"].tolist()
    for lang in LANGS:
        assert isinstance(results.baseline_map(data, lang), Figure)


def test_a_folder_that_is_not_a_batch_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="expected the path"):
        results.open_batch("  ")
    with pytest.raises((FileNotFoundError, ValueError)) as info:
        results.open_batch(tmp_path)
    assert str(tmp_path) in str(info.value)
