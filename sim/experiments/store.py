"""Results store: one folder per batch, written as runs finish.

Layout of a batch folder::

    manifest.json        what was run, with what code, when (see batch.execute)
    runs.parquet         the batch's runs: labels, seed, horizon, run id, parameters
    annual/part-*.parquet   annual metrics, one part per finished chunk of runs
    zones/part-*.parquet    zone-year rows, same part names (absent with zones=False)

Each part is written to a temporary name and renamed (atomic), zone part first: a
run is finished when its annual part exists. Nothing else holds the batch in memory,
so memory stays flat however large the batch. Rows of runs that are not in the
current ``runs.parquet`` (an earlier version of the batch) stay on disk, are ignored
when loading, and are reused if asked for again.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sim.experiments.runs import RunOutput, RunSpec, params_json

try:  # POSIX advisory lock: released by the OS even if the process is killed
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
RUNS = "runs.parquet"
ANNUAL = "annual"
ZONES = "zones"
LOCK = ".lock"
KEY_COLUMNS = ("scenario", "replicate", "sample", "run_id")

Key = tuple[str, int, int, str]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _atomic_write_table(path: Path, table: pa.Table) -> None:
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def _keys_of(table: pa.Table) -> Iterator[tuple[Key, int, int]]:
    """Yield ``(key, first row, end row)`` for each run's contiguous rows."""
    n = table.num_rows
    if n == 0:
        return
    cols = [table.column(c).to_numpy(zero_copy_only=False) for c in KEY_COLUMNS]
    cols[2] = pc.fill_null(table.column("sample"), -1).to_numpy()
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for c in cols:
        change[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n)
    for a, b in zip(starts, ends, strict=True):
        yield (str(cols[0][a]), int(cols[1][a]), int(cols[2][a]), str(cols[3][a])), int(a), int(b)


class BatchStore:
    """Writer for one batch folder, holding its lock while open."""

    def __init__(self, path: str | Path) -> None:
        """Open (and create) the folder ``path`` and take its lock.

        Raises:
            ValueError: If another process is writing to the same folder.
        """
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / ANNUAL).mkdir(exist_ok=True)
        (self.path / ZONES).mkdir(exist_ok=True)
        self._lock = (self.path / LOCK).open("a")
        if fcntl is not None:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._lock.close()
                raise ValueError(
                    f"{self.path}: expected no other batch writing to this folder; one is "
                    "running (wait for it or choose another folder)"
                ) from None
        self._counter = 0

    def close(self) -> None:
        """Release the folder's lock."""
        self._lock.close()

    def __enter__(self) -> BatchStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- state
    def clean(self) -> None:
        """Remove temporary files and zone parts whose annual part never landed."""
        for sub in (ANNUAL, ZONES):
            for tmp in (self.path / sub).glob("*.tmp"):
                tmp.unlink(missing_ok=True)
        annual = {p.name for p in (self.path / ANNUAL).glob("part-*.parquet")}
        for p in (self.path / ZONES).glob("part-*.parquet"):
            if p.name not in annual:
                p.unlink(missing_ok=True)
        for tmp in self.path.glob("*.tmp"):
            tmp.unlink(missing_ok=True)

    def finished(self, *, zones: bool) -> set[Key]:
        """Keys of the runs already stored (with a zone part too if ``zones``)."""
        out: set[Key] = set()
        for part in sorted((self.path / ANNUAL).glob("part-*.parquet")):
            if zones and not (self.path / ZONES / part.name).is_file():
                continue
            table = pq.read_table(part, columns=list(KEY_COLUMNS))
            out.update(k for k, _, _ in _keys_of(table))
        return out

    def read_manifest(self) -> dict[str, Any] | None:
        """The folder's manifest, or ``None`` if there is none yet."""
        path = self.path / MANIFEST
        if not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    # ---------------------------------------------------------------- writes
    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        """Write ``manifest.json`` atomically."""
        text = json.dumps(manifest, ensure_ascii=False, indent=1, default=str)
        _atomic_write_bytes(self.path / MANIFEST, (text + "\n").encode())

    def write_runs(self, specs: Sequence[RunSpec]) -> None:
        """Write the batch's run index ``runs.parquet`` atomically."""
        table = pa.table(
            {
                "scenario": pa.array([s.scenario for s in specs], pa.string()),
                "replicate": pa.array([s.replicate for s in specs], pa.int64()),
                "sample": pa.array([s.sample for s in specs], pa.int64()),
                "seed": pa.array([int(s.seed) for s in specs], pa.int64()),
                "start": pa.array([s.start for s in specs], pa.int64()),
                "end": pa.array([s.end for s in specs], pa.int64()),
                "run_id": pa.array([s.run_id for s in specs], pa.string()),
                "params": pa.array(_params_column(specs), pa.string()),
            }
        )
        _atomic_write_table(self.path / RUNS, table)

    def write_output(self, output: RunOutput) -> None:
        """Store a finished chunk: zone part first, then the annual part."""
        self._counter += 1
        name = f"part-{time.time_ns():x}-{os.getpid()}-{self._counter:05d}.parquet"
        if output.zones is not None:
            _atomic_write_table(self.path / ZONES / name, output.zones)
        _atomic_write_table(self.path / ANNUAL / name, output.annual)


def _params_column(specs: Iterable[RunSpec]) -> list[str]:
    cache: dict[int, str] = {}  # specs of one scenario share one params mapping
    out = []
    for s in specs:
        key = id(s.params)
        if key not in cache:
            cache[key] = params_json(s.params)
        out.append(cache[key])
    return out


class Results:
    """A batch's results, loaded from its folder.

    Attributes:
        path: The batch folder.
        manifest: The manifest (``manifest.json``) as a dictionary.
        runs: The batch's runs (one row per run: ``scenario, replicate, sample, seed,
            start, end, run_id, params`` as JSON), in batch order.
    """

    def __init__(self, path: Path, manifest: dict[str, Any], runs: pd.DataFrame) -> None:
        self.path = path
        self.manifest = manifest
        self.runs = runs
        samples = runs["sample"].fillna(-1).astype("int64")
        self._order: dict[Key, int] = {
            (sc, int(r), int(sa), rid): i
            for i, (sc, r, sa, rid) in enumerate(
                zip(runs["scenario"], runs["replicate"], samples, runs["run_id"], strict=True)
            )
        }

    def __repr__(self) -> str:
        return f"Results({str(self.path)!r}, runs={len(self.runs)}, missing={len(self.missing)})"

    @functools.cached_property
    def annual(self) -> pd.DataFrame:
        """Annual metrics: ``scenario, replicate, seed, year``, metrics, ``sample, run_id``."""
        return self._load(ANNUAL)

    @functools.cached_property
    def zones(self) -> pd.DataFrame:
        """Zone-years: ``scenario, replicate, seed, year``, zone columns, ``sample, run_id``."""
        return self._load(ZONES)

    @functools.cached_property
    def missing(self) -> pd.DataFrame:
        """Runs of the batch that have not finished (rows of :attr:`runs`)."""
        done = set()
        for part in sorted((self.path / ANNUAL).glob("part-*.parquet")):
            table = pq.read_table(part, columns=list(KEY_COLUMNS))
            done.update(self._order.get(k, -1) for k, _, _ in _keys_of(table))
        mask = ~np.isin(np.arange(len(self.runs)), list(done))
        return self.runs[mask]

    @property
    def scenarios(self) -> list[str]:
        """Scenario names in batch order."""
        return list(dict.fromkeys(self.runs["scenario"]))

    def _load(self, table_name: str) -> pd.DataFrame:
        frames: list[pd.DataFrame] = []
        orders: list[np.ndarray] = []
        seen: set[int] = set()
        annual_parts = sorted((self.path / ANNUAL).glob("part-*.parquet"))
        for apart in annual_parts:
            part = self.path / table_name / apart.name
            if not part.is_file():
                continue
            table = pq.read_table(part)
            keep = np.zeros(table.num_rows, dtype=bool)
            order = np.full(table.num_rows, -1, dtype=np.int64)
            for key, a, b in _keys_of(table):
                i = self._order.get(key)
                if i is None or i in seen:
                    continue
                seen.add(i)
                keep[a:b] = True
                order[a:b] = i
            if keep.any():
                frames.append(table.filter(pa.array(keep)).to_pandas())
                orders.append(order[keep])
        if not frames:
            return self._empty(table_name)
        df = pd.concat(frames, ignore_index=True)
        idx = np.argsort(np.concatenate(orders), kind="stable")
        df = df.iloc[idx].reset_index(drop=True)
        df["sample"] = df["sample"].astype("Int64")
        return df

    def _empty(self, table_name: str) -> pd.DataFrame:
        cols = ["scenario", "replicate", "seed", "year"]
        if table_name == ANNUAL:
            from sim.core.run import METRICS

            cols += list(METRICS)
        df = pd.DataFrame({c: pd.Series(dtype="float64") for c in [*cols, "run_id"]})
        df.insert(len(cols), "sample", pd.Series(dtype="Int64"))
        return df


def load_results(path: str | Path) -> Results:
    """Load a batch folder written by :func:`sim.experiments.batch.execute`.

    Tables are read on first access (``.annual``, ``.zones``) and hold only the
    runs of the batch's current run index, each once, in batch order (scenario,
    then replicate or sample), whatever the order the runs finished in.

    Args:
        path: The batch folder.

    Returns:
        The results.

    Raises:
        FileNotFoundError: If ``path`` is not a batch folder.
    """
    path = Path(path)
    if not (path / RUNS).is_file():
        raise FileNotFoundError(f"{path}: expected a batch folder with {RUNS} (none found)")
    manifest: dict[str, Any] = {}
    with contextlib.suppress(FileNotFoundError):
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    runs = pq.read_table(path / RUNS).to_pandas()
    runs["sample"] = runs["sample"].astype("Int64")
    return Results(path, manifest, runs)
