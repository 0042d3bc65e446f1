"""The store trusts only names it made: no path out of the folder, no symbolic link."""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from pathlib import Path

import pytest

from sim.experiments.backends import SerialBackend
from sim.experiments.batch import execute
from sim.experiments.store import StoreError, load_results


def _run(specs: list, out: Path, **kw: object) -> Path:
    return execute(specs, out, backend=SerialBackend(), progress=False, **kw)  # type: ignore[arg-type]


def _index(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "parts.jsonl").read_text().splitlines()]


def _write_index(out: Path, records: list[dict]) -> None:
    (out / "parts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))


def _quiet_load(out: Path) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = load_results(out, allow_missing=True)
        res.annual  # noqa: B018 (reads the parts)
    return res


@pytest.mark.parametrize(
    "name", ["../../outside.parquet", "ABSOLUTE", "sub/part-1-1-00001.parquet"]
)
def test_index_naming_a_file_outside_the_folder_is_not_read(
    tmp_path: Path, specs: list, name: str
) -> None:
    out = _run(specs[:2], tmp_path / "b" / "c", chunk_size=1)
    other = _run(specs[3:5], tmp_path / "other", chunk_size=1)  # valid parts, other values
    records = _index(out)
    stolen = _index(other)[0]
    if name == "ABSOLUTE":
        name = str(tmp_path / "outside.parquet")
    outside = Path(out / "annual" / name)  # where a store that trusted the name would read
    outside.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(other / "annual" / stolen["part"], outside)
    # Substitute the first run's data: its line names the outside file with that file's
    # checksum and the run's own key, so only the name gives it away.
    records[0] = {**records[0], "part": name, "annual": stolen["annual"], "zones": None}
    _write_index(out, records)
    res = _quiet_load(out)
    assert len(res.missing) == 1 and res.annual["run_id"].nunique() == 1  # type: ignore[attr-defined]
    assert specs[3].run_id not in set(res.annual["run_id"])  # type: ignore[attr-defined]
    _run(specs[:2], out, chunk_size=1)  # a resume drops the line and recomputes the run
    assert outside.is_file() and len(load_results(out).annual) == 4
    assert all(r["part"].startswith("part-") for r in _index(out))


def test_index_naming_an_endless_device_is_not_read(tmp_path: Path, specs: list) -> None:
    out = _run(specs[:1], tmp_path / "b")
    records = _index(out)
    records[0]["part"] = "/dev/zero"
    _write_index(out, records)
    assert len(_quiet_load(out).missing) == 1  # type: ignore[attr-defined]


def test_part_that_is_a_link_is_not_followed(tmp_path: Path, specs: list) -> None:
    out = _run(specs[:1], tmp_path / "b")
    part = next((out / "annual").glob("part-*.parquet"))
    real = tmp_path / "elsewhere.parquet"
    shutil.move(part, real)
    part.symlink_to(real)  # same bytes, same checksum, but through a link
    assert hashlib.sha256(part.read_bytes()).hexdigest() == _index(out)[0]["annual"]
    assert len(_quiet_load(out).missing) == 1  # type: ignore[attr-defined]
    _run(specs[:1], out)
    assert (out / "quarantine" / f"annual-{part.name}").is_symlink()  # the link, moved
    assert real.is_file() and load_results(out).missing.empty


@pytest.mark.parametrize("entry", ["zones", "annual", "quarantine", "parts.jsonl", ".lock"])
def test_store_entry_that_is_a_link_is_refused(tmp_path: Path, specs: list, entry: str) -> None:
    first = _run(specs[:2], tmp_path / "first", chunk_size=1)
    second = _run(specs[3:5], tmp_path / "second", chunk_size=1)
    before = {p: p.read_bytes() for p in first.rglob("*") if p.is_file() and p.name != ".lock"}
    (first / "quarantine").mkdir(exist_ok=True)
    target = second / entry
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    target.symlink_to(first / entry)  # two batches sharing one folder or file
    with pytest.raises(StoreError, match=rf"second/{entry}: .*symbolic link"):
        _run(specs[3:5], second, chunk_size=1)
    with pytest.raises(StoreError, match="symbolic link"):
        load_results(second)
    after = {p: p.read_bytes() for p in first.rglob("*") if p.is_file() and p.name != ".lock"}
    assert after == before  # the other batch is untouched
    assert load_results(first).missing.empty
