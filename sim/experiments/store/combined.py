"""Several batch folders read as one: each run once, from the first folder that holds it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import pandas as pd

from sim.experiments.store.errors import StoreError
from sim.experiments.store.results import Results
from sim.experiments.store.runindex import run_difference, sample_number


class CombinedResults:
    """Results of several batch folders read as one (:func:`~.load.load_results` with several).

    Tables are those of each batch one after the other, with a ``batch`` column (the
    folder) first. Batches may share runs (the same scenario and replicate, or sample): a
    run held by several is read from the first that holds it, and each batch adds the runs
    only it has (e.g. 4 replicates in one folder, the first 3 of them in another). Shared
    runs must be identical (the same run id); otherwise loading says what differs (seed,
    horizon, parameters).

    Attributes:
        parts: The batches' :class:`~.results.Results`, in the order given.
        paths: Their folders.
        manifest: ``{"batches": [each batch's manifest]}`` plus the shared ``model_version``.
    """

    def __init__(self, parts: Sequence[Results]) -> None:
        self.parts = list(parts)
        self.paths = [r.path for r in self.parts]
        versions = {r.manifest.get("model_version") for r in self.parts}
        if len(versions) > 1:
            detail = ", ".join(f"{r.path} {r.manifest.get('model_version')}" for r in self.parts)
            raise StoreError(
                f"expected batches of one model version to combine, got {detail}",
                advice="run the older batches again with this code (into a new {out_dir}) to "
                "compare them",
            )
        self._owner: dict[str, int] = {}  # scenario -> first batch holding it
        self._runs_of: list[set[tuple[str, str]]] = []  # (scenario, run id) read per batch
        self._assign_runs()
        self.manifest = {
            "model_version": versions.pop(),
            "batches": [r.manifest for r in self.parts],
        }

    def _assign_runs(self) -> None:
        """Give each run to the first batch that holds it; refuse a shared run that differs."""
        held: dict[tuple[str, int, int], tuple[int, pd.Series]] = {}
        for i, res in enumerate(self.parts):
            mine: set[tuple[str, str]] = set()
            for _, row in res.runs.iterrows():
                ident = (str(row["scenario"]), int(row["replicate"]), sample_number(row["sample"]))
                self._owner.setdefault(ident[0], i)
                if ident not in held:
                    held[ident] = (i, row)
                    mine.add((ident[0], str(row["run_id"])))
                    continue
                first, was = held[ident]
                if was["run_id"] != row["run_id"]:
                    raise StoreError(
                        f"{res.path}: scenario {ident[0]!r} replicate {ident[1]}: expected the "
                        f"run it has in {self.parts[first].path} (run id {was['run_id']}), got "
                        f"another ({self.parts[first].path} -> {res.path}: "
                        f"{run_difference(was, row)}); load the batches separately or rename "
                        "the scenario"
                    )
            self._runs_of.append(mine)

    def __repr__(self) -> str:
        return f"CombinedResults({[str(p) for p in self.paths]!r}, runs={len(self.runs)})"

    def _combine(self, get: Callable[[Results], pd.DataFrame]) -> pd.DataFrame:
        """``get`` of every batch, each run from the batch it was given to, with ``batch``."""
        frames = []
        for i, res in enumerate(self.parts):  # a run held by several batches: the first
            df = get(res)
            pairs = pd.MultiIndex.from_arrays([df["scenario"].astype(str), df["run_id"]])
            df = df[pairs.isin(list(self._runs_of[i]))].copy()
            df.insert(0, "batch", str(res.path))
            frames.append(df)
        out = pd.concat(frames, ignore_index=True)
        if "sample" in out:
            out["sample"] = out["sample"].astype("Int64")
        return out

    @functools.cached_property
    def runs(self) -> pd.DataFrame:
        """Every run of every batch, with ``batch``."""
        return self._combine(lambda r: r.runs)

    @functools.cached_property
    def annual(self) -> pd.DataFrame:
        """Annual metrics of every batch, with ``batch``."""
        return self._combine(lambda r: r.annual)

    @functools.cached_property
    def zones(self) -> pd.DataFrame:
        """Zone-years of every batch, with ``batch``."""
        return self._combine(lambda r: r.zones)

    @property
    def missing(self) -> pd.DataFrame:
        """Runs not finished (or corrupt) in any batch, with ``batch``."""
        return self._combine(lambda r: r.missing)

    @property
    def scenarios(self) -> list[str]:
        """Scenario names, batch by batch."""
        return list(self._owner)

    @property
    def design(self) -> dict[str, dict[str, float]]:
        """Swept parameter values of every sweep variant (name -> values)."""
        return {k: v for r in self.parts for k, v in r.design.items()}
