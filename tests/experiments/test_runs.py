from __future__ import annotations

import dataclasses
import gc
import pickle

import numpy as np
import pyarrow as pa
import pytest

from sim.core import version
from sim.core.params import resolve
from sim.core.run import METRICS, simulate
from sim.experiments.runs import RunSpec, model_version, run_chunk, run_one


def _spec(**kw: object) -> RunSpec:
    base = {"scenario": "s", "replicate": 0, "seed": 3, "params": resolve({}), "start": 2016,
            "end": 2017}  # fmt: skip
    return RunSpec(**{**base, **kw})  # type: ignore[arg-type]


def test_run_id_depends_on_params_seed_horizon_not_labels() -> None:
    a = _spec()
    assert a.run_id == _spec(scenario="other", replicate=4, sample=7).run_id
    assert a.run_id != _spec(seed=4).run_id
    assert a.run_id != _spec(end=2018).run_id
    assert a.run_id != _spec(start=2017).run_id
    assert a.run_id != _spec(params=resolve({"exit_rule_on": 0})).run_id


def test_run_id_treats_equal_numbers_alike() -> None:
    p = resolve({})
    q = {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in p.items()}
    assert _spec(params=p).run_id == _spec(params=q).run_id


def test_model_version_has_the_model_number_and_a_code_hash() -> None:
    number, digest = model_version().split("+")
    assert number == version.NUMBER
    assert len(digest) == 8


def test_run_id_changes_with_model_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = _spec().run_id
    monkeypatch.setattr("sim.experiments.runs.model_version", lambda: "9.9.9+changed")
    assert _spec().run_id != before


def test_runspec_is_frozen_and_picklable() -> None:
    spec = _spec()
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.seed = 5  # type: ignore[misc]
    back = pickle.loads(pickle.dumps(spec))
    assert back == spec and back.run_id == spec.run_id


def test_run_one_matches_simulate_and_is_tagged() -> None:
    spec = _spec(sample=2)
    out = run_one(spec)
    assert isinstance(out.annual, pa.Table) and isinstance(out.zones, pa.Table)
    annual = out.annual.to_pandas()
    assert list(annual.columns) == ["scenario", "replicate", "seed", "year", *METRICS,
                                    "sample", "run_id"]  # fmt: skip
    direct = simulate(spec.params, seed=3, start=2016, end=2017)
    np.testing.assert_array_equal(annual[list(METRICS)].to_numpy(), direct.annual[list(METRICS)])
    assert set(annual["run_id"]) == {spec.run_id}
    assert set(annual["sample"]) == {2}
    zones = out.zones.to_pandas()
    assert list(zones.columns[:5]) == ["scenario", "replicate", "seed", "year", "unit"]
    assert len(zones) == len(direct.zones)
    assert out.keys == (spec.key,)


def test_run_one_without_zones_and_chunks() -> None:
    specs = [_spec(replicate=k, seed=k) for k in range(2)]
    out = run_chunk(specs, zones=False)
    assert out.zones is None
    assert out.keys == tuple(s.key for s in specs)
    assert out.annual.num_rows == 4
    assert len(pickle.dumps(out)) < 50_000  # compact: tables only, no model objects


def test_a_task_leaves_no_model_behind() -> None:
    # Finished models are cyclic garbage; with automatic collection off, only the task's
    # own collection frees them (without it a worker's memory grows with the batch).
    from sim.core.model import ZoneReformModel

    def models() -> int:
        return sum(isinstance(o, ZoneReformModel) for o in gc.get_objects())

    gc.collect()
    before = models()
    gc.disable()
    try:
        run_chunk([_spec(replicate=k, seed=k) for k in range(3)], zones=False)
        assert models() == before
    finally:
        gc.enable()
