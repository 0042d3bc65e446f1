"""A batch grown by several commands stays one batch: seeds added, scenarios never pooled."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest

from sim.analysis.brief import load_batches
from sim.cli import main
from sim.experiments.store import load_results

SCENARIO = """name = "{name}"
description = "What if {name}?"
[run]
end = 2017
replications = 2
seed = 11
[parameters]
{params}
"""


def write(folder: Path, name: str, params: str = "") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(SCENARIO.format(name=name, params=params), encoding="utf-8")
    return path


def run(*args: str) -> int:
    return main(["run", *args, "--workers", "1", "--quiet"])


@pytest.fixture(scope="module")
def two_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeds")
    files = [str(write(folder, "baseline")), str(write(folder, "alt", "exit_rule_on = false"))]
    out = folder / "batch"
    assert run(*files, "--out", str(out)) == 0
    assert run(*files, "--out", str(out), "--seed", "9") == 0
    return out


def test_a_second_seed_is_briefed_as_one_batch(
    two_seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = load_batches([two_seeds])
    assert data.replicates("baseline") == data.replicates("alt") == 4
    out = tmp_path / "b.html"
    assert main(["brief", str(two_seeds), "--out", str(out)]) == 0, capsys.readouterr().err
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "annual tables 8 / 8; zone tables 8 / 8" in md
    assert "master seed 11, 9" in md
    assert (data.annual.groupby("scenario")["seed"].nunique() == 4).all()


def test_edited_scenario_under_a_new_seed_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "baseline")
    out = tmp_path / "batch"
    assert run(str(path), "--out", str(out)) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".lock"}
    write(tmp_path, "baseline", "delegation_years = 4.0")  # edited
    capsys.readouterr()
    assert run(str(path), "--out", str(out), "--seed", "9") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "scenario 'baseline': expected the parameters" in err
    assert "--out" in err
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".lock"}
    assert after == before
    assert run(str(path), "--out", str(out), "--seed", "9", "--set", "delegation_years=3") == 2
    assert len(load_results(out).runs) == 2


def test_corrupt_zone_part_is_missing_and_counted_in_the_brief(
    two_seeds: Path, tmp_path: Path
) -> None:
    out = tmp_path / "batch"
    shutil.copytree(two_seeds, out)
    victim = sorted((out / "zones").glob("part-*.parquet"))[0]
    victim.write_bytes(b"damaged")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = load_results(out, allow_missing=True)
        gone = len(res.missing)  # the zone part's runs: listed, not silently dropped
        assert gone >= 1 and len(res.missing_from("zones")) == gone
        assert res.missing_from("annual").empty
        assert main(["brief", str(out), "--out", str(tmp_path / "b.html")]) == 2
        assert main(["brief", str(out), "--out", str(tmp_path / "b.html"), "--allow-missing"]) == 0
    md = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert f"annual tables 8 / 8; zone tables {8 - gone} / 8" in md
    assert f"{gone} run(s) of this batch are missing from its zone tables" in md


def test_markdown_brief_has_no_live_link_and_no_raw_html(tmp_path: Path) -> None:
    base = write(tmp_path, "baseline")
    alt = tmp_path / "alt.toml"
    alt.write_text(
        SCENARIO.format(name="alt", params="exit_rule_on = false").replace(
            'description = "What if alt?"',
            'title = "[click](javascript:alert(1))"\n'
            'description = "What if ![x](javascript:alert(2)) <img src=x onerror=alert(3)>?"',
        ),
        encoding="utf-8",
    )
    batch = tmp_path / "batch"
    assert run(str(base), str(alt), "--out", str(batch)) == 0
    out = tmp_path / "<svg onload=alert(1)>.html"
    assert main(["brief", str(batch), "--out", str(out)]) == 0
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "](javascript" not in md and "](<svg" not in md
    assert re.search(r"(?<!\\)<(svg|img)", md) is None  # only as escaped text
    assert "](%3Csvg%20onload%3Dalert%281%29%3E_files/" in md  # the figures, inert paths
    assert (tmp_path / "<svg onload=alert(1)>_files").is_dir()
