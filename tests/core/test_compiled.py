"""How the compiled code is compiled (sim.core.compiled): wide vectors, same results."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest
from numba.core import codegen, config

from sim.core import compiled
from sim.core.run import simulate

HOST = codegen.get_host_cpu_features()
WIDE = "+avx512f" in HOST.split(",")


def test_wide_vectors_only_where_the_processor_has_them() -> None:
    assert (
        compiled.features("+avx2,+avx512f,+fma") == f"+avx2,+avx512f,+fma,{compiled.WIDE_VECTORS}"
    )
    assert compiled.features("+avx2,-avx512f,+fma") == "+avx2,-avx512f,+fma"
    assert compiled.features("+avx2,+avx512f", wide=False) == "+avx2,+avx512f"


def test_the_process_compiles_for_its_widest_vectors() -> None:
    if "NUMBA_CPU_FEATURES" in os.environ:
        assert os.environ["NUMBA_CPU_FEATURES"] == config.CPU_FEATURES  # the user's choice
    else:
        assert compiled.features(HOST) == config.CPU_FEATURES


_RUN = """
import sys
from sim.core.run import simulate
r = simulate(seed=3, end=2019)
r.annual.to_pickle(sys.argv[1])
r.zones.to_pickle(sys.argv[2])
"""


@pytest.mark.skipif(not WIDE, reason="this processor has no 512-bit vectors: one width only")
def test_results_do_not_depend_on_the_vector_width(tmp_path) -> None:
    """A process compiled for 256-bit vectors gives the same tables, bit for bit."""
    paths = [str(tmp_path / "annual.pkl"), str(tmp_path / "zones.pkl")]
    env = {**os.environ, "NUMBA_CPU_FEATURES": compiled.features(HOST, wide=False)}
    subprocess.run([sys.executable, "-c", _RUN, *paths], env=env, check=True, timeout=600)
    here = simulate(seed=3, end=2019)
    pd.testing.assert_frame_equal(pd.read_pickle(paths[0]), here.annual, check_exact=True)
    pd.testing.assert_frame_equal(pd.read_pickle(paths[1]), here.zones, check_exact=True)


def _model_dispatchers() -> list:
    """Every cached compiled function of the model's compiled modules."""
    import importlib

    from numba.core.registry import CPUDispatcher

    found = []
    for path in compiled.SOURCES:
        rel = path.relative_to(compiled.SOURCES[0].parents[2]).with_suffix("")
        module = importlib.import_module(".".join(rel.parts))
        found += [
            f
            for f in vars(module).values()
            if isinstance(f, CPUDispatcher) and f.__module__ == module.__name__
        ]
    return found


def test_the_models_cached_functions_carry_the_stamp_of_every_compiled_module() -> None:
    """A kernel inlines helpers from other files: editing one of them must recompile it."""
    dispatchers = _model_dispatchers()
    assert len(dispatchers) >= 15
    for f in dispatchers:
        locator = f._cache._impl.locator
        assert isinstance(locator, compiled._Stamped), f
        assert locator.get_source_stamp() == compiled.sources_digest(), f


def test_the_stamp_changes_with_any_compiled_module(tmp_path) -> None:
    copies = []
    for path in compiled.SOURCES:
        copy = tmp_path / f"{len(copies)}-{path.name}"
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    before = compiled.sources_digest(tuple(copies))
    assert before == compiled.sources_digest()
    base = next(c for c in copies if c.name.endswith("-base.py"))
    base.write_bytes(base.read_bytes() + b"\n")
    assert compiled.sources_digest(tuple(copies)) != before


def test_functions_elsewhere_keep_numbas_own_stamp(tmp_path, monkeypatch) -> None:
    import importlib

    (tmp_path / "elsewhere_kernel.py").write_text(
        "import numba\n\n@numba.njit(cache=True)\ndef f(x):\n    return x + 1\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("elsewhere_kernel")
    locator = module.f._cache._impl.locator
    assert not isinstance(locator, compiled._Stamped)
    assert locator.get_source_stamp() != compiled.sources_digest()
