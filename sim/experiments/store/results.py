"""One batch folder's results: its run index, and its tables read part by part on demand."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.experiments.store.describe import run_counts
from sim.experiments.store.index import read_index
from sim.experiments.store.layout import ANNUAL, ZONES, Key
from sim.experiments.store.runindex import key_rows, run_key, table_keys
from sim.experiments.store.trust import intact_part


class Results:
    """A batch's results, loaded from its folder.

    Attributes:
        path: The batch folder.
        manifest: The manifest (``manifest.json``) as a dictionary.
        runs: Every run of the batch (one row per run: ``scenario, replicate, sample,
            seed, start, end, run_id, params`` as JSON), in batch order.
    """

    def __init__(self, path: Path, manifest: dict[str, Any], runs: pd.DataFrame) -> None:
        self.path = path
        self.manifest = manifest
        self.runs = self._with_design(runs)
        self._order: dict[Key, int] = {run_key(r): i for i, r in enumerate(key_rows(runs))}
        self._index = read_index(path)
        self._checked: dict[tuple[str, str], bool] = {}

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

    @property
    def corrupt(self) -> list[Path]:
        """Part files read so far that do not match their checksum (or are unreadable)."""
        return [self.path / sub / name for (sub, name), ok in self._checked.items() if not ok]

    @functools.cached_property
    def missing(self) -> pd.DataFrame:
        """Runs of the batch absent from a table it keeps (not finished, or a part corrupt).

        The zone table counts when the batch keeps zone tables (its manifest's ``zones``).
        """
        tables = (ANNUAL, ZONES) if self.keeps_zones else (ANNUAL,)
        done = set.intersection(*(self._done(t) for t in tables))
        return self.runs[~np.isin(np.arange(len(self.runs)), list(done))]

    def missing_from(self, table: str) -> pd.DataFrame:
        """Runs of the batch absent from ``table`` (``"annual"`` or ``"zones"``)."""
        if table not in (ANNUAL, ZONES):
            raise ValueError(f"table: expected {ANNUAL!r} or {ZONES!r}, got {table!r}")
        return self.runs[~np.isin(np.arange(len(self.runs)), list(self._done(table)))]

    @property
    def keeps_zones(self) -> bool:
        """Whether the batch keeps zone tables (``zonesim run`` without ``--no-zones``)."""
        return bool(self.manifest.get("zones", True))

    def _done(self, table: str) -> set[int]:
        """Positions (in :attr:`runs`) of the runs whose ``table`` part reads intact."""
        done: set[int] = set()
        for rec in self._index:
            known = self._checked.get((table, rec["part"])) if rec.get(table) else False
            if known or (known is None and self._read(table, rec) is not None):
                done.update(self._order.get(k, -1) for k in rec["runs"])
        return done

    @property
    def scenarios(self) -> list[str]:
        """Scenario names in batch order."""
        return list(dict.fromkeys(self.runs["scenario"]))

    @property
    def design(self) -> dict[str, dict[str, float]]:
        """Swept parameter values of each sweep variant of the batch (name -> values)."""
        entries = self.manifest.get("scenarios", {})
        return {
            name: dict(entry["design"])
            for name, entry in entries.items()
            if isinstance(entry, dict) and entry.get("design")
        }

    @property
    def last_invocation(self) -> dict[str, Any]:
        """The manifest's record of the latest command run into the folder."""
        invocations = self.manifest.get("invocations") or [{}]
        return dict(invocations[-1])

    def summary(self) -> str:
        """The latest invocation's runs: ``"25 runs: 5 ran, 20 reused"`` (:func:`run_counts`)."""
        runs = self.last_invocation.get("runs", {})
        return f"{runs.get('total', len(self.runs))} runs: {run_counts(runs)}"

    def _with_design(self, df: pd.DataFrame) -> pd.DataFrame:
        """``df`` with one column per swept parameter after ``seed`` (NaN outside sweeps)."""
        design = self.design
        names = list(dict.fromkeys(k for point in design.values() for k in point))
        if not names:
            return df
        at = list(df.columns).index("seed") + 1
        for i, name in enumerate(names):
            values = {sc: point.get(name, np.nan) for sc, point in design.items()}
            df.insert(at + i, name, df["scenario"].map(values).astype("float64"))
        return df

    def _read(self, sub: str, rec: Mapping[str, Any]) -> bytes | None:
        """A part's bytes if they match the index's checksum; ``None`` otherwise."""
        sha = rec.get(sub)
        if not sha:
            return None
        key = (sub, rec["part"])
        if self._checked.get(key) is False:
            return None
        data = intact_part(self.path / sub / rec["part"], sha)
        self._checked[key] = data is not None
        return data

    def _load(self, table_name: str) -> pd.DataFrame:
        """One table of the batch: each run once, from the first intact part holding it."""
        frames: list[pd.DataFrame] = []
        orders: list[np.ndarray] = []
        seen: set[int] = set()
        for rec in self._index:
            if not any(self._order.get(k, -1) not in seen for k in rec["runs"]):
                continue
            data = self._read(table_name, rec)
            if data is None:
                continue
            table = pq.read_table(pa.BufferReader(data))
            keep, order = self._new_rows(table, seen)
            if keep.any():
                frames.append(table.filter(pa.array(keep)).to_pandas())
                orders.append(order[keep])
        if not frames:
            return self._with_design(self._empty(table_name))
        df = pd.concat(frames, ignore_index=True)
        idx = np.argsort(np.concatenate(orders), kind="stable")
        df = df.iloc[idx].reset_index(drop=True)
        df["sample"] = df["sample"].astype("Int64")
        return self._with_design(df)

    def _new_rows(self, table: pa.Table, seen: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """Rows of a part table that hold runs of the batch not yet read, and their runs.

        Returns:
            A mask of the rows to keep and each row's run position (-1 for the others);
            the runs kept are added to ``seen``.
        """
        keep = np.zeros(table.num_rows, dtype=bool)
        order = np.full(table.num_rows, -1, dtype=np.int64)
        for key, a, b in table_keys(table):
            i = self._order.get(key)
            if i is None or i in seen:
                continue
            seen.add(i)
            keep[a:b] = True
            order[a:b] = i
        return keep, order

    def _empty(self, table_name: str) -> pd.DataFrame:
        """An empty table with the columns of ``table_name`` (no run stored)."""
        cols = ["scenario", "replicate", "seed", "year"]
        if table_name == ANNUAL:
            from sim.core.run import METRICS

            cols += list(METRICS)
        df = pd.DataFrame({c: pd.Series(dtype="float64") for c in [*cols, "run_id"]})
        df.insert(len(cols), "sample", pd.Series(dtype="Int64"))
        return df
