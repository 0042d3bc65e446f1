"""The run index: its rows from run specifications, run keys, merging and compatibility."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sim.experiments.runs import RunSpec, params_json
from sim.experiments.store.errors import StoreError
from sim.experiments.store.layout import KEY_COLUMNS, Key


def sample_number(value: Any) -> int:
    """A run's sample as the store keys it: the number, or -1 outside sample designs."""
    return -1 if pd.isna(value) else int(value)


def run_key(row: tuple[Any, ...]) -> Key:
    """The store key of a ``(scenario, replicate, sample, run_id)`` row."""
    sc, rep, sample, run_id = row
    return (str(sc), int(rep), sample_number(sample), str(run_id))


def key_rows(df: pd.DataFrame) -> Iterable[tuple[Any, ...]]:
    """The ``(scenario, replicate, sample, run_id)`` rows of a run index, in order."""
    return zip(df["scenario"], df["replicate"], df["sample"], df["run_id"], strict=True)


def run_keys(runs: pd.DataFrame) -> list[Key]:
    """The store keys of a run index's rows, in order."""
    return [run_key(r) for r in key_rows(runs)]


def table_keys(table: pa.Table) -> Iterator[tuple[Key, int, int]]:
    """Yield ``(key, first row, end row)`` for each run's contiguous rows of a part table."""
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


def runs_table(specs: Sequence[RunSpec]) -> pd.DataFrame:
    """The run index rows of ``specs`` (columns :data:`~.layout.RUN_COLUMNS`)."""
    cache: dict[int, str] = {}  # specs of one scenario share one params mapping
    params = []
    for s in specs:
        if id(s.params) not in cache:
            cache[id(s.params)] = params_json(s.params)
        params.append(cache[id(s.params)])
    df = pd.DataFrame(
        {
            "scenario": [s.scenario for s in specs],
            "replicate": np.array([s.replicate for s in specs], dtype=np.int64),
            "sample": pd.array([s.sample for s in specs], dtype="Int64"),
            "seed": np.array([int(s.seed) for s in specs], dtype=np.int64),
            "start": np.array([s.start for s in specs], dtype=np.int64),
            "end": np.array([s.end for s in specs], dtype=np.int64),
            "run_id": [s.run_id for s in specs],
            "params": params,
        }
    )
    return df


def merge_runs(stored: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """The union of two run indexes, grouped by scenario (first appearance first).

    Within a scenario, stored runs come first, then the new ones not yet stored.
    """
    if stored is None or stored.empty:
        return new.reset_index(drop=True)
    have = {run_key(r) for r in key_rows(stored)}
    fresh = [i for i, r in enumerate(key_rows(new)) if run_key(r) not in have]
    merged = pd.concat([stored, new.iloc[fresh]], ignore_index=True)
    rank = {s: i for i, s in enumerate(dict.fromkeys(merged["scenario"]))}
    order = np.argsort(merged["scenario"].map(rank).to_numpy(), kind="stable")
    return merged.iloc[order].reset_index(drop=True)


def run_difference(first: Mapping[str, Any], second: Mapping[str, Any]) -> str:
    """What differs between two run index rows of one identity, as ``"what a -> b"`` items.

    Compares the seed, the horizon (``start``, ``end``) and every parameter (the ``params``
    JSON); when all of them agree the runs differ in the model or data behind the run id.
    """
    diffs = [
        f"{key} {first[key]} -> {second[key]}"
        for key in ("seed", "start", "end")
        if first[key] != second[key]
    ]
    a, b = json.loads(first["params"]), json.loads(second["params"])
    diffs += [
        f"{name} {a.get(name, '(unset)')!r} -> {b.get(name, '(unset)')!r}"
        for name in sorted(set(a) | set(b))
        if a.get(name) != b.get(name)
    ]
    return ", ".join(diffs) or f"run id {first['run_id']} -> {second['run_id']} (model or data)"


def check_compatible(stored: pd.DataFrame, new: pd.DataFrame, folder: Path) -> None:
    """Refuse runs that would replace stored runs of the same identity.

    A run's identity in a batch is (scenario, replicate, sample, seed); a new run with a
    stored identity must have the stored run id (same parameters, horizon and model).

    Raises:
        StoreError: Naming the first conflicting scenario, the parameters (or horizon) that
            changed, stored value first, and how to proceed.
    """
    ident = ["scenario", "replicate", "sample", "seed"]
    cols = ["start", "end", "run_id", "params"]
    merged = new.merge(stored[ident + cols], on=ident, suffixes=("", "_stored"))
    clash = merged[merged["run_id"] != merged["run_id_stored"]]
    if clash.empty:
        return
    row = clash.iloc[0]
    was = {"seed": row["seed"], **{c: row[f"{c}_stored"] for c in cols}}
    raise StoreError(
        f"scenario {row['scenario']!r} (replicate {row['replicate']}, seed "
        f"{row['seed']}): expected the parameters and horizon of the runs already in this "
        f"batch, got different ones (stored -> new: {run_difference(was, row)})",
        file=folder,
        advice="a batch only grows, so run the changed scenario into a new {out_dir} folder "
        "(or give it another name)",
    )
