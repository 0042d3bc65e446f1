import os
from pathlib import Path

import pandas as pd
import pytest

from sim.experiments.fileio import (
    TMP_PREFIX,
    atomic_write,
    atomic_write_bytes,
    atomic_write_parquet,
    atomic_write_text,
    parquet_metadata,
)


def test_atomic_write_replaces_content(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "二")
    assert target.read_text(encoding="utf-8") == "二"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_failed_writer_leaves_target_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    atomic_write_bytes(target, b"old")

    def broken(p: Path) -> None:
        p.write_bytes(b"half")
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_bytes() == b"old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_files_get_the_users_default_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644  # not a temporary file's private 0o600


def test_parquet_with_metadata_round_trip(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    path = atomic_write_parquet(tmp_path / "sub" / "t.parquet", df, {"digest": "abc"})
    pd.testing.assert_frame_equal(pd.read_parquet(path), df)
    assert parquet_metadata(path)["digest"] == "abc"
    assert not list(path.parent.glob(".tmp-*"))
