"""The rules the store keeps (see :mod:`sim.experiments.store`), through batches: user files,
runs never hidden, integrity, bad manifests."""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim.core.params import resolve
from sim.experiments import fileio
from sim.experiments.backends import SerialBackend
from sim.experiments.batch import execute
from sim.experiments.runs import RunSpec
from sim.experiments.seeds import replicate_seed
from sim.experiments.store import MissingRunsError, load_results


def _run(specs: list, out: Path, **kw: object) -> Path:
    return execute(specs, out, backend=SerialBackend(), progress=False, **kw)  # type: ignore[arg-type]


def _parts(out: Path, sub: str = "annual") -> list[Path]:
    return sorted((out / sub).glob("part-*.parquet"))


# ------------------------------------------------------------------ 1. user files


def test_nonbatch_folder_is_refused_and_its_files_survive(tmp_path: Path, specs: list) -> None:
    out = tmp_path / "mine"
    (out / "zones").mkdir(parents=True)
    (out / "thesis.tmp").write_text("chapter 1")
    (out / "zones" / "part-notes.parquet").write_text("notes")
    with pytest.raises(ValueError, match=r"mine: expected an empty folder or a batch folder"):
        _run(specs[:1], out)
    with pytest.raises(ValueError, match="'zones', which this batch would overwrite"):
        _run(specs[:1], out, allow_foreign=True)
    assert (out / "thesis.tmp").read_text() == "chapter 1"
    assert (out / "zones" / "part-notes.parquet").read_text() == "notes"
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tmp", "zones"]


def test_unrelated_manifest_is_not_overwritten(tmp_path: Path, specs: list) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "manifest.json").write_text('{"project": "mine"}')
    with pytest.raises(ValueError, match=r"manifest.json: expected a batch manifest with"):
        _run(specs[:1], out, allow_foreign=True)
    assert (out / "manifest.json").read_text() == '{"project": "mine"}'


def test_forced_into_nonempty_folder_leaves_foreign_files(tmp_path: Path, specs: list) -> None:
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.tmp").write_text("chapter 1")
    (out / "notes").mkdir()
    (out / "notes" / "part-1.parquet").write_text("n")
    _run(specs[:2], out, allow_foreign=True, chunk_size=1)
    (out / "annual" / "readme.txt").write_text("mine")  # not a part: never touched
    (out / "brief.en.html").write_text("<p>brief</p>")
    _run(specs[:3], out)  # a batch now: no flag needed, foreign files stay
    assert (out / "thesis.tmp").read_text() == "chapter 1"
    assert (out / "notes" / "part-1.parquet").read_text() == "n"
    assert (out / "annual" / "readme.txt").read_text() == "mine"
    assert (out / "brief.en.html").exists()
    assert len(load_results(out).annual) == 6


# ------------------------------------------------------------------ 2. never hide


def test_other_seed_scenario_and_reps_are_added_not_hidden(tmp_path: Path, specs: list) -> None:
    out = tmp_path / "b"
    base, alt = specs[:3], specs[3:]
    _run(base[:2], out)
    _run(alt, out)  # another scenario set
    _run(base, out)  # another replicate count
    other_seed = [RunSpec("baseline", k, replicate_seed(99, k), base[0].params, 2016, 2017)
                  for k in range(2)]  # fmt: skip
    _run(other_seed, out)  # another master seed
    res = load_results(out)
    want = {s.run_id for s in [*specs, *other_seed]}
    assert set(res.annual["run_id"]) == want and res.missing.empty
    assert res.scenarios == ["baseline", "alt"]
    m = res.manifest
    assert m["scenarios"]["baseline"]["runs"] == 5 and m["scenarios"]["alt"]["runs"] == 3
    assert m["scenarios"]["alt"]["params"]["delegation_years"] == 4.0
    assert [i["runs"]["total"] for i in m["invocations"]] == [2, 3, 3, 2]
    assert m["created"] == m["invocations"][0]["started"] <= m["invocations"][-1]["started"]
    assert all(i["packages"]["numpy"] for i in m["invocations"])


def test_changed_scenario_under_same_name_is_refused(tmp_path: Path, specs: list) -> None:
    out = tmp_path / "b"
    _run(specs[:3], out)
    before = (out / "manifest.json").read_bytes(), (out / "runs.parquet").read_bytes()
    changed = [RunSpec(s.scenario, s.replicate, s.seed, resolve({"exit_rule_on": 0}), 2016, 2017)
               for s in specs[:3]]  # fmt: skip
    with pytest.raises(ValueError, match=r"scenario 'baseline' .*new out_dir folder") as err:
        _run(changed, out)
    # the refusal names the changed parameter, stored value first
    assert "stored -> new: exit_rule_on 1.0 -> 0.0)" in str(err.value)
    assert ((out / "manifest.json").read_bytes(), (out / "runs.parquet").read_bytes()) == before


def test_other_model_version_is_refused(
    tmp_path: Path, specs: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "b"
    _run(specs[:1], out)
    monkeypatch.setattr("sim.experiments.identity.model_version", lambda: "9.9.9+changed")
    with pytest.raises(ValueError, match="the model changed, so run the batch into a new"):
        _run(specs[3:4], out)


# ------------------------------------------------------------------ 4. integrity


def _damage_truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _damage_garbage(p: Path) -> None:
    p.write_bytes(b"not parquet at all")


def _damage_tamper(p: Path) -> None:  # a valid Parquet file with other values
    t = pq.read_table(p)
    col = t.column_names.index("year")
    pq.write_table(t.set_column(col, "year", pa.array(t.column("year").to_numpy() + 1)), p)


@pytest.mark.parametrize("sub", ["annual", "zones"])
@pytest.mark.parametrize("damage", [_damage_truncate, _damage_garbage, _damage_tamper])
def test_corrupt_part_is_left_out_then_quarantined_and_recomputed(
    tmp_path: Path, specs: list, sub: str, damage: object
) -> None:
    out = _run(specs, tmp_path / "b", chunk_size=2)
    ref = load_results(out)
    tables = ref.annual, ref.zones  # read before the damage
    victim = _parts(out, sub)[1]
    damage(victim)  # type: ignore[operator]
    with pytest.raises(MissingRunsError, match=rf"2 of 6 are not .*{sub}/{victim.name}") as info:
        load_results(out)
    assert len(info.value.missing) == 2
    with pytest.warns(UserWarning, match="allow_missing=True: loading them"):
        res = load_results(out, allow_missing=True)
    assert len(res.missing) == len(res.missing_from(sub)) == 2 and res.corrupt == [victim]
    assert getattr(res, sub)["run_id"].nunique() == 4  # the good runs stay usable
    _run(specs, out, chunk_size=2)
    moved = sorted(p.name for p in (out / "quarantine").iterdir())
    assert moved == [f"annual-{victim.name}", f"zones-{victim.name}"]  # the part as a whole
    res = load_results(out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(res.annual, tables[0], check_exact=True)
        pd.testing.assert_frame_equal(res.zones, tables[1], check_exact=True)
    assert res.manifest["invocations"][-1]["runs"]["run"] == 2


def test_duplicate_and_foreign_parts_are_resolved_by_run_not_file_order(
    tmp_path: Path, specs: list
) -> None:
    out = _run(specs[:2], tmp_path / "b", chunk_size=1)
    ref = load_results(out).annual
    first = _parts(out)[0]
    # A copy named to sort first, with changed values: never read, then quarantined.
    for sub in ("annual", "zones"):
        shutil.copy(out / sub / first.name, out / sub / "part-0.parquet")
    _damage_tamper(out / "annual" / "part-0.parquet")
    pd.testing.assert_frame_equal(load_results(out).annual, ref, check_exact=True)
    _run(specs[:2], out, chunk_size=1)
    moved = sorted(p.name for p in (out / "quarantine").iterdir())
    assert moved == ["annual-part-0.parquet", "zones-part-0.parquet"]
    pd.testing.assert_frame_equal(load_results(out).annual, ref, check_exact=True)


def test_unindexed_part_and_torn_index_line_after_a_crash(tmp_path: Path, specs: list) -> None:
    out = _run(specs[:2], tmp_path / "b", chunk_size=1)
    index = out / "parts.jsonl"
    lines = index.read_bytes().splitlines(keepends=True)
    index.write_bytes(lines[0] + lines[1][:20])  # killed while appending the second line
    (out / "annual" / f"{fileio.TMP_PREFIX}x.parquet").write_bytes(b"half")
    with pytest.warns(UserWarning, match="1 of 2 are not"):
        assert len(load_results(out, allow_missing=True).missing) == 1
    _run(specs[:2], out, chunk_size=1)
    res = load_results(out)
    assert res.missing.empty and len(res.annual) == 4
    assert len(list((out / "quarantine").iterdir())) == 3  # annual + zones part, temp file
    assert all(json.loads(line) for line in index.read_text().splitlines())


def test_parts_and_folder_are_fsynced(
    tmp_path: Path, specs: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(fileio.os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    out = tmp_path / "b"
    _run(specs[:1], out)
    n = len(synced)
    _run(specs[:2], out)  # one more part: zone file, annual file, their folders, index
    assert len(synced) - n >= 6


# ------------------------------------------------------------------ 6. bad manifests


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("[1, 2]", "expected a batch manifest \\(JSON object\\), got a JSON list"),
        ("{garbage", "got unreadable content"),
        (None, "invocations: expected a JSON list, got str"),
        ('{"format": 1, "history": []}', "earlier store format"),
    ],
)
def test_bad_manifest_is_one_line_naming_the_file(
    tmp_path: Path, specs: list, content: str | None, match: str
) -> None:
    out = _run(specs[:1], tmp_path / "b")
    file = out / "manifest.json"
    if content is None:
        m = json.loads(file.read_text())
        content = json.dumps({**m, "invocations": "oops"})
    file.write_text(content)
    for call in (lambda: load_results(out), lambda: _run(specs[:1], out)):
        with pytest.raises(ValueError, match=match) as info:
            call()
        assert str(file) in str(info.value) and "\n" not in str(info.value)
    assert file.read_text() == content


def test_format_marker_is_written(tmp_path: Path, specs: list) -> None:
    out = _run(specs[:1], tmp_path / "b")
    assert json.loads((out / "manifest.json").read_text())["format"] == "zonesim-batch/2"


def test_killed_before_the_run_index_resumes(tmp_path: Path, specs: list) -> None:
    out = _run(specs[:1], tmp_path / "b")
    (out / "runs.parquet").unlink()  # killed between the manifest and the run index
    _run(specs[:2], out)
    assert len(load_results(out).annual) == 4
