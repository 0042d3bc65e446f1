"""One run of a batch: its specification, identity and compact output.

A :class:`RunSpec` says everything a run needs (fully resolved parameters, seed,
horizon) plus the labels it is stored under (scenario, replicate, sample).
:func:`run_one` calls :func:`sim.core.run.simulate` and nothing else of the model,
and returns a :class:`RunOutput` holding plain Arrow tables, never model objects, so
it travels cheaply between processes and machines.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from sim.core.run import simulate
from sim.experiments.identity import (
    CodeMismatchError,
    check_identity,
    code_identity,
    model_version,
)

#: Columns that label every stored row, in order: leading, then trailing.
LEADING = ("scenario", "replicate", "seed")
TRAILING = ("sample", "run_id")
__all__ = [
    "CodeMismatchError",
    "RunOutput",
    "RunSpec",
    "check_identity",
    "code_identity",
    "model_version",
    "params_json",
    "run_chunk",
    "run_one",
]


def _canonical(value: Any) -> Any:
    """Normalise numbers to floats (1, 1.0 and True hash alike) for hashing."""
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def params_json(params: Mapping[str, Any]) -> str:
    """Return parameters as canonical JSON (sorted keys, numbers as floats)."""
    return json.dumps(_canonical(params), sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, eq=False)
class RunSpec:
    """Everything one run needs, plus the labels it is stored under.

    Attributes:
        scenario: Scenario name (label only; not part of the run's identity).
        replicate: Replicate index within the scenario, from 0.
        seed: The run's seed (see :mod:`sim.experiments.seeds`).
        params: Fully resolved parameters (:func:`sim.core.params.resolve`).
        start: First year reported.
        end: Last year simulated and reported.
        sample: Index of a sample point (calibration, sensitivity), or ``None``.
    """

    scenario: str
    replicate: int
    seed: int
    params: Mapping[str, Any]
    start: int
    end: int
    sample: int | None = None

    @functools.cached_property
    def run_id(self) -> str:
        """Hash of the resolved parameters, seed, horizon and model version."""
        text = json.dumps(
            {
                "params": json.loads(params_json(self.params)),
                "seed": int(self.seed),
                "start": int(self.start),
                "end": int(self.end),
                "model": model_version(),
            },
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    @property
    def key(self) -> tuple[str, int, int, str]:
        """Store key: (scenario, replicate, sample or -1, run_id)."""
        return (
            self.scenario,
            self.replicate,
            -1 if self.sample is None else self.sample,
            self.run_id,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RunSpec):
            return NotImplemented
        return self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


@dataclass(frozen=True)
class RunOutput:
    """Compact outputs of one run (or of a chunk of runs, concatenated).

    Attributes:
        annual: Arrow table: ``scenario, replicate, seed, year``, the metrics of
            :data:`sim.core.run.METRICS`, then ``sample, run_id``.
        zones: Arrow table with the same leading and trailing columns around the
            zone-year columns of :func:`sim.core.run.simulate`, or ``None`` when
            zone tables are not kept.
        keys: Store keys (:attr:`RunSpec.key`) of the runs it holds, in row order.
    """

    annual: pa.Table
    zones: pa.Table | None
    keys: tuple[tuple[str, int, int, str], ...]

    @staticmethod
    def concat(outputs: list[RunOutput]) -> RunOutput:
        """Concatenate the outputs of several runs (same column layout)."""
        zones = [o.zones for o in outputs if o.zones is not None]
        return RunOutput(
            annual=pa.concat_tables([o.annual for o in outputs]),
            zones=pa.concat_tables(zones) if zones else None,
            keys=tuple(k for o in outputs for k in o.keys),
        )


def _tag(df: Any, spec: RunSpec) -> pa.Table:
    """Arrow table of ``df`` with the run's labels before and after its columns."""
    n = len(df)
    lead = {
        "scenario": pa.array([spec.scenario] * n, pa.string()),
        "replicate": pa.array([spec.replicate] * n, pa.int64()),
        "seed": pa.array([int(spec.seed)] * n, pa.int64()),
    }
    body = pa.Table.from_pandas(df, preserve_index=False)
    trail = {
        "sample": pa.array([spec.sample] * n, pa.int64()),
        "run_id": pa.array([spec.run_id] * n, pa.string()),
    }
    arrays = [*lead.values(), *body.columns, *trail.values()]
    names = [*lead, *body.column_names, *trail]
    return pa.Table.from_arrays(arrays, names=names)


def run_one(spec: RunSpec, *, zones: bool = True) -> RunOutput:
    """Run one specification through :func:`sim.core.run.simulate`.

    Args:
        spec: The run.
        zones: Whether to keep the zone-year table.

    Returns:
        The run's tagged annual (and zone-year) tables.
    """
    result = simulate(
        dict(spec.params), seed=int(spec.seed), start=spec.start, end=spec.end, zones=zones
    )
    return RunOutput(
        annual=_tag(result.annual, spec),
        zones=_tag(result.zones, spec) if zones else None,
        keys=(spec.key,),
    )


def run_chunk(
    specs: list[RunSpec], zones: bool = True, identity: dict[str, str | None] | None = None
) -> RunOutput:
    """Run several specifications one after the other (one task of a batch).

    Args:
        specs: The runs.
        zones: Whether to keep zone-year tables.
        identity: The client's :func:`code_identity`; when given, a worker whose own
            identity differs raises :class:`CodeMismatchError` before running anything.
    """
    if identity is not None:
        check_identity(identity)
    output = RunOutput.concat([run_one(s, zones=zones) for s in specs])
    # A finished model is cyclic garbage (Mesa's model and agents refer to each other)
    # whose firm arrays the collector does not count: without a collection per task, a
    # worker's memory grows with the batch.
    gc.collect()
    return output
